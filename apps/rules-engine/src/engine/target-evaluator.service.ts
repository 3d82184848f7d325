import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ActionResult, ObservedState } from '@surge/contracts';
import { noUnused, routeEnvelope, splitSamples, type UnusedCounts } from '@surge/decision-core';
import { TargetLanes } from '@surge/lanes';
import type { ScalingPolicy } from '@surge/policy';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { ControlState } from '../control/control-state.service';
import { PolicyStore } from '../policies/policy-store.service';
import { type PolicyInput, PolicyEvaluation, type Sample } from './policy-evaluation.service';
import { RulesEngineMetrics } from './rules-engine.metrics';
import { StateCommit } from './state-commit.service';
import { AwaitingApprovals } from './awaiting-approvals';
import { WakeTimers } from './wake-timers';

type BatchWork = Map<string, { policy: ScalingPolicy; inputs: PolicyInput[] }>;

/**
 * Where samples, observed values, wake-ups and plan steps' results enter the engine. Samples, wake-ups and results
 * become work in their targets' lanes, so one target's work never overlaps; within it, StateCommit loads and
 * stores the state (folding in the target's latest observation) and PolicyEvaluation decides. An observed value
 * is stored apart, by one script.
 */
@Injectable()
export class TargetEvaluator implements OnModuleDestroy {
  private readonly logger = new Logger(TargetEvaluator.name);
  private readonly lanes = new TargetLanes();
  private readonly timers = new WakeTimers((targetId, wakeAt) => this.onWake(targetId, wakeAt));
  private readonly awaiting = new AwaitingApprovals();

  constructor(
    private readonly policies: PolicyStore,
    private readonly evaluation: PolicyEvaluation,
    private readonly state: StateCommit,
    private readonly metrics: RulesEngineMetrics,
    control: ControlState,
    @Inject(RULES_ENGINE_CONFIG)
    private readonly config: Pick<RulesEngineConfig, 'SURGE_RULES_MAX_FUTURE_SKEW_SECONDS'>,
  ) {
    metrics.setPauseSource(() => control.pauses(policies.all()));
    control.answers.onAnswer((plan) => this.onAnswer(plan.runId));
  }

  onModuleDestroy(): void {
    this.timers.clear();
  }

  /**
   * A value an executor observed on the target, stored without an evaluation for the next one to fold in. It
   * goes to the target's observation alone, never its state: the instance evaluating the target's samples may be
   * another, and a load-and-save here would race it. One older than the value stored (by event time) is ignored.
   * The observation must be of the policy's target, kind and id: another kind's target may share the id.
   * A setting some policy's plan acts on is kept as well, in a key of its own, for that policy's loads.
   */
  async onObservedValue(target: ObservedState['target'], setting: string, value: number, time: number): Promise<void> {
    const observed = { kind: target.kind, setting, value, observedAt: time };
    if (this.policies.plans.actsOn(target, setting)) await this.state.observeForPlans(target.id, observed);
    const policy = this.policies.policyFor(target.id);
    if (!policy || policy.target.kind !== target.kind || policy.setting !== setting) return;
    await this.state.observe(target.id, observed);
  }

  /**
   * An executor's result of a plan step's decision, back in the lane of the policy whose plan it is: the run
   * records it and its next step is decided and committed through the outbox, so a crash replays the same id.
   * The clock is the later of the wall clock and the result's time, an executor's clock ahead by more than the
   * future-skew limit held to it (the core also keeps the clock past the last evaluation). A result of no plan,
   * or of a policy no longer in force, changes nothing.
   */
  async onPlanResult(result: ActionResult): Promise<void> {
    const ref = result.plan;
    if (!ref) return;
    const policy = this.policies.policyFor(ref.policyTarget);
    if (!policy?.rules.some((rule) => rule.name === ref.rule && rule.plan)) return;
    await this.lanes.run(ref.policyTarget, async () => {
      const stored = await this.state.load(policy, this.policies.plans.readsOf(policy));
      const now = Date.now();
      const latestAllowed = now + this.config.SURGE_RULES_MAX_FUTURE_SKEW_SECONDS * 1000;
      const at = Math.max(now, Math.min(result.time, latestAllowed));
      const commit = this.evaluation.onPlanResults(policy, stored, [result], at);
      if (!commit) return;
      await this.state.commit([commit]);
      // The result moved the target's clock on to `at`: a next step's `after` counts from there.
      this.timers.schedule(policy, commit.state, Math.max(at, commit.state.lastEvaluatedAt ?? 0));
      this.awaiting.track(policy.target.id, commit.state);
    });
  }

  /**
   * A fetched batch of envelopes: every target it touches is loaded in one round trip, evaluated in memory in
   * offset order, saved in one round trip, and its decisions published in one produce call. A sample stamped
   * beyond the future-skew limit, or of a metric none of its readers reads, is counted here and goes no further.
   */
  async onEnvelopes(envelopes: readonly { target: string; samples: readonly Sample[] }[]): Promise<void> {
    const work: BatchWork = new Map();
    const unused = noUnused();
    const latestAllowed = Date.now() + this.config.SURGE_RULES_MAX_FUTURE_SKEW_SECONDS * 1000;
    for (const envelope of envelopes) {
      const route = this.policies.route(envelope.target);
      const { samples, settingNamed } = routeEnvelope(envelope.samples, route, latestAllowed, unused);
      for (const policy of route.readers) {
        let entry = work.get(policy.target.id);
        if (!entry) work.set(policy.target.id, (entry = { policy, inputs: [] }));
        const workload = settingNamed ? splitSamples(policy, envelope.target, samples) : samples;
        entry.inputs.push({ source: envelope.target, samples: workload });
      }
    }
    if (work.size) await this.lanes.runMany([...work.keys()], () => this.evaluateBatch(work, unused));
    else this.metrics.countUnused(unused);
  }

  private async evaluateBatch(work: BatchWork, unused: UnusedCounts): Promise<void> {
    const started = performance.now();
    const entries = [...work.values()];
    const loaded = await this.state.loadMany(
      entries.map((entry) => entry.policy),
      (policy) => this.policies.plans.readsOf(policy),
    );
    let evaluations = 0;
    const results = entries.map(({ policy, inputs }, index) => {
      const outcome = this.evaluation.onSamples(policy.target.id, policy, loaded[index] ?? null, inputs, unused);
      evaluations += outcome.evaluations;
      return outcome;
    });
    await this.state.commit(results);
    // Counted once the batch is stored: a batch that fails is retried, and would count its samples twice.
    this.metrics.countUnused(unused);
    for (const r of results) for (const sampleTime of r.triggeredAt) this.metrics.observeReaction(sampleTime);
    this.metrics.observeEvaluations(evaluations, (performance.now() - started) / 1000);
    for (const r of results) this.timers.schedule(r.policy, r.state);
    for (const r of results) this.awaiting.track(r.policy.target.id, r.state);
  }

  private onWake(targetId: string, wakeAt: number): void {
    const policy = this.policies.policyFor(targetId);
    if (!policy) return;
    this.lanes
      .run(targetId, () => this.evaluateAtTimer(policy, wakeAt))
      .catch((error: unknown) => this.logger.error(`timer evaluation of ${targetId} failed: ${String(error)}`));
  }

  private async evaluateAtTimer(policy: ScalingPolicy, wakeAt: number): Promise<void> {
    const started = performance.now();
    const stored = await this.state.load(policy, this.policies.plans.readsOf(policy));
    const result = this.evaluation.atTime(policy, stored, wakeAt);
    if (!result) return;
    // A timer's decision has no triggering sample, so it has no reaction time either.
    await this.state.commit([result]);
    this.metrics.observeEvaluations(1, (performance.now() - started) / 1000);
    this.timers.schedule(policy, result.state);
    this.awaiting.track(policy.target.id, result.state);
  }

  /**
   * An operator's answer to a step this instance stored as awaiting approval: the target is evaluated at once,
   * in its lane, at the engine's clock (past its last evaluation, so the evaluation is not taken as covered).
   */
  private onAnswer(runId: string): void {
    const targetId = this.awaiting.targetOf(runId);
    const policy = targetId === undefined ? undefined : this.policies.policyFor(targetId);
    if (!policy) return;
    this.lanes
      .run(policy.target.id, async () => {
        const stored = await this.state.load(policy, this.policies.plans.readsOf(policy));
        const at = Math.max(Date.now(), (stored.state.lastEvaluatedAt ?? 0) + 1);
        const result = this.evaluation.atTime(policy, stored, at);
        if (!result) return;
        await this.state.commit([result]);
        this.timers.schedule(policy, result.state);
        this.awaiting.track(policy.target.id, result.state);
      })
      .catch((error: unknown) => this.logger.error(`answer to plan run ${runId} failed: ${String(error)}`));
  }
}
