import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { MetricSample, ScaleDecision } from '@surge/contracts';
import {
  emptyState,
  evaluate,
  nextWakeAt,
  observeSamples,
  samplesForPolicy,
  type TargetState,
} from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import { ControlState } from '../control/control-state.service';
import { KafkaProvider } from '../kafka/kafka.provider';
import { PolicyStore } from '../policies/policy-store.service';
import { type StoredTarget, TargetStateRepository } from '../state/target-state.repository';
import { RulesEngineMetrics } from './rules-engine.metrics';

type Sample = Pick<MetricSample, 'metric' | 'value' | 'timestamp'>;

function latestTimestamp(samples: readonly Sample[]): number {
  let latest = -Infinity;
  for (const sample of samples) if (sample.timestamp > latest) latest = sample.timestamp;
  return latest;
}

/** setTimeout's limit; a wake-up further away is set again by the next sample. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs the pure decision core for a target when its samples arrive, and on a timer when a `for` window expires
 * or a schedule starts. Work for one target is serialised; its state lives in Redis. A decision is saved in the
 * target's outbox together with the new state before it is published, so a crash at any point neither loses it
 * nor re-evaluates into a new one: the replay publishes the same decision id.
 */
@Injectable()
export class TargetEvaluator implements OnModuleDestroy {
  private readonly logger = new Logger(TargetEvaluator.name);
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly policies: PolicyStore,
    private readonly repository: TargetStateRepository,
    private readonly kafka: KafkaProvider,
    private readonly metrics: RulesEngineMetrics,
    private readonly control: ControlState,
  ) {
    metrics.setPauseSource(() => control.pauses(policies.all()));
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** An executor's applied result: the observed value, folded into the state without an evaluation. */
  async onObservedValue(targetId: string, setting: string, value: number, time: number): Promise<void> {
    const policy = this.policies.policyFor(targetId);
    if (!policy || policy.setting !== setting) return;
    await this.serialised(targetId, async () => {
      const stored = await this.load(targetId);
      const state = observeSamples(stored.state, [{ metric: setting, value, timestamp: time }], setting);
      await this.repository.save(targetId, { ...stored, state });
    });
  }

  /**
   * A fetched batch of envelopes: every target it touches is loaded in one round trip, evaluated in memory in
   * offset order, saved in one round trip, and its decisions published in one produce call.
   */
  async onEnvelopes(envelopes: readonly { target: string; samples: readonly Sample[] }[]): Promise<void> {
    const work = new Map<string, { policy: ScalingPolicy; items: { source: string; samples: readonly Sample[] }[] }>();
    for (const envelope of envelopes) {
      for (const policy of this.policies.readers(envelope.target)) {
        const entry = work.get(policy.target.id) ?? { policy, items: [] };
        entry.items.push({
          source: envelope.target,
          samples: samplesForPolicy(policy, envelope.target, envelope.samples),
        });
        work.set(policy.target.id, entry);
      }
    }
    if (work.size) await this.serialisedMany([...work.keys()], () => this.evaluateBatch(work));
  }

  private async evaluateBatch(
    work: Map<string, { policy: ScalingPolicy; items: { source: string; samples: readonly Sample[] }[] }>,
  ): Promise<void> {
    const started = performance.now();
    const ids = [...work.keys()];
    const loaded = await this.repository.loadMany(ids);
    const stranded = loaded.flatMap((stored) => stored?.outbox ?? []);
    if (stranded.length) await this.publish(stranded);
    let evaluations = 0;
    // The hot loop of the engine: plain loops, and nothing allocated for an evaluation that decides nothing.
    const results = ids.map((id, index) => {
      const { policy, items } = work.get(id)!;
      const stored = loaded[index] ?? { state: emptyState(), outbox: [] };
      const effective = this.control.effective(policy);
      const watermarks = { ...stored.watermarks };
      let state = stored.state;
      const decisions: ScaleDecision[] = [];
      const triggeredAt: number[] = [];
      for (const item of items) {
        if (!item.samples.length) continue;
        const latest = latestTimestamp(item.samples);
        if (latest <= (watermarks[item.source] ?? -Infinity)) continue;
        watermarks[item.source] = latest;
        const result = evaluate({
          policy: effective,
          state,
          samples: item.samples,
          globalPause: this.control.globalPause,
        });
        state = result.state;
        for (const decision of result.decisions) {
          decisions.push(decision);
          triggeredAt.push(latest);
        }
        evaluations += 1;
      }
      return { id, policy, state, watermarks, decisions, triggeredAt };
    });
    await this.commit(results);
    for (const r of results) for (const sampleTime of r.triggeredAt) this.metrics.observeReaction(sampleTime);
    const perEvaluation = (performance.now() - started) / 1000 / Math.max(1, evaluations);
    for (let i = 0; i < evaluations; i += 1) this.metrics.evaluationSeconds.observe(perEvaluation);
    for (const r of results) this.schedule(r.policy, r.state);
  }

  private serialised(targetId: string, work: () => Promise<void>): Promise<void> {
    return this.serialisedMany([targetId], work);
  }

  /** Runs after all earlier work on any of these targets, and before any later work on them. */
  private serialisedMany(targetIds: string[], work: () => Promise<void>): Promise<void> {
    const previous = targetIds.map((id) => this.chains.get(id)).filter((p): p is Promise<void> => p !== undefined);
    const next = (previous.length ? Promise.all(previous) : Promise.resolve()).then(work);
    const tail = next.catch(() => undefined);
    for (const id of targetIds) this.chains.set(id, tail);
    void tail.then(() => {
      for (const id of targetIds) if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return next;
  }

  private async load(targetId: string): Promise<StoredTarget> {
    const stored = (await this.repository.load(targetId)) ?? { state: emptyState(), outbox: [] };
    if (stored.outbox.length) {
      await this.publish(stored.outbox);
      stored.outbox = [];
      await this.repository.save(targetId, stored);
    }
    return stored;
  }

  /** A `for` window expiring or a schedule starting: an evaluation at the timer's due time, without samples. */
  private async evaluateAtTimer(policy: ScalingPolicy, timerAt: number): Promise<void> {
    const started = performance.now();
    const stored = await this.load(policy.target.id);
    const last = stored.state.lastEvaluatedAt;
    // A sample evaluated at or after the due time has already covered it.
    if (last !== null && last >= timerAt) return;
    const result = evaluate({
      policy: this.control.effective(policy),
      state: stored.state,
      now: timerAt,
      globalPause: this.control.globalPause,
    });
    // A timer's decision has no triggering sample, so it has no reaction time either.
    await this.commit([
      { id: policy.target.id, state: result.state, watermarks: stored.watermarks, decisions: result.decisions },
    ]);
    this.metrics.evaluationSeconds.observe((performance.now() - started) / 1000);
    this.schedule(policy, result.state);
  }

  /**
   * Saves each target's new state. A target that decided has its decisions saved in its outbox first and then
   * published, so a crash at any point replays the same decision ids rather than losing or re-deciding them.
   */
  private async commit(
    results: readonly {
      id: string;
      state: TargetState;
      watermarks: Record<string, number> | undefined;
      decisions: ScaleDecision[];
    }[],
  ): Promise<void> {
    const decided = results.filter((r) => r.decisions.length);
    if (decided.length) {
      await this.repository.saveMany(
        decided.map((r) => [r.id, { state: r.state, outbox: r.decisions, watermarks: r.watermarks }]),
      );
      await this.publish(decided.flatMap((r) => r.decisions));
    }
    await this.repository.saveMany(
      results.map((r) => [r.id, { state: r.state, outbox: [], watermarks: r.watermarks }]),
    );
  }

  private async publish(decisions: ScaleDecision[]): Promise<void> {
    await this.kafka.producer.send(
      this.kafka.topics.decisions,
      decisions.map((d) => ({ key: d.target.id, value: JSON.stringify(d) })),
    );
    for (const decision of decisions) {
      this.metrics.countDecision(decision);
      this.logger.log(`${decision.decisionId} ${decision.target.id} ${decision.explanation.summary}`);
    }
  }

  /** The timer runs in event time: the wait is the distance from the last evaluation's clock to the wake-up. */
  private schedule(policy: ScalingPolicy, state: TargetState): void {
    const targetId = policy.target.id;
    const existing = this.timers.get(targetId);
    if (existing) clearTimeout(existing);
    this.timers.delete(targetId);
    if (state.lastEvaluatedAt === null) return;
    const wake = nextWakeAt(policy, state, state.lastEvaluatedAt);
    if (wake === null || wake - state.lastEvaluatedAt > MAX_TIMER_MS) return;
    const timer = setTimeout(() => {
      this.timers.delete(targetId);
      const current = this.policies.policyFor(targetId);
      if (!current) return;
      this.serialised(targetId, () => this.evaluateAtTimer(current, wake)).catch((error: unknown) =>
        this.logger.error(`timer evaluation of ${targetId} failed: ${String(error)}`),
      );
    }, wake - state.lastEvaluatedAt);
    timer.unref();
    this.timers.set(targetId, timer);
  }
}
