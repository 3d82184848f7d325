import {
  ACTION_RESULT_SCHEMA_VERSION,
  type ActionResult,
  type AlertEvent,
  isReservedMetric,
  type ScaleDecision,
  type ScaleExplanation,
} from '@surge/contracts';
import {
  emptyState,
  evaluate,
  foldObservedValue,
  nextWakeAt,
  type ObservedLookup,
  onPlanResults,
  planSettings,
  policiesBySampleTarget,
  splitSamples,
  type TargetState,
} from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import type { TraceSample } from './trace-reader';

export type SimulatedDecision = ScaleDecision & { timestamp: string; reason: string };

export interface SimulationResult {
  decisions: SimulatedDecision[];
  /** What the rules and plans told people (firing, resolved), in the order sent. */
  alerts: AlertEvent[];
  /** What was asked for and not done, and why. */
  explanations: ScaleExplanation[];
  evaluations: number;
  /** Targets that had samples but no policy. */
  unknownTargets: string[];
}

/** Guards against a pathological timer loop; far more wake-ups than any real trace needs between two samples. */
const MAX_WAKES_BETWEEN_SAMPLES = 10_000;

/**
 * Runs a trace through the decision core as the rules-engine does: samples of one target with the same event
 * time are evaluated together, timers (a `for` window expiring, a schedule starting) fire between samples,
 * and every decision counts as applied at once (a plan's next step follows its step's result at the same time). A trace line of the target's own setting (`replicas`) is its
 * observed value, folded in as the engine folds an executor's observation, without an evaluation of its own;
 * every other setting name is dropped from the workload, by the split the engine uses (`splitSamples`).
 */
export function simulate(
  policies: readonly ScalingPolicy[],
  samples: readonly TraceSample[],
  initial?: number,
): SimulationResult {
  const routes = policiesBySampleTarget(policies);
  const states = new Map<string, TargetState>();
  const decisions: SimulatedDecision[] = [];
  const unknown = new Set<string>();
  let evaluations = 0;

  // Other targets' settings that plan steps act on: from the trace's lines of setting names, then from the steps.
  const settings = new Map<string, number>();
  const planKeys = new Set(
    policies.flatMap((policy) => planSettings(policy).map(({ target, setting }) => settingKey(target.id, setting))),
  );
  const isSetting = (sample: TraceSample) =>
    isReservedMetric(sample.metric) || planKeys.has(settingKey(sample.target, sample.metric));
  const alerts: AlertEvent[] = [];
  const explanations: ScaleExplanation[] = [];
  const observed: ObservedLookup = (target, setting) => settings.get(settingKey(target.id, setting));
  const record = (decision: ScaleDecision) =>
    decisions.push({
      ...decision,
      timestamp: new Date(decision.eventTime).toISOString(),
      reason: decision.explanation.summary,
    });

  /** Every plan step counts as applied at once, as every decision does here: its result decides the next. */
  const settlePlanSteps = (policy: ScalingPolicy, pending: ScaleDecision[]) => {
    for (let queue = pending; queue.length;) {
      const next: ScaleDecision[] = [];
      for (const decision of queue) {
        settings.set(settingKey(decision.target.id, decision.setting), decision.to);
        const settled = onPlanResults({
          policy,
          state: states.get(policy.target.id)!,
          results: [appliedResult(decision)],
          now: decision.eventTime,
          observed,
        });
        states.set(policy.target.id, settled.state);
        alerts.push(...settled.alerts);
        for (const step of settled.decisions) record(step);
        next.push(...settled.decisions);
      }
      queue = next;
    }
  };

  const run = (policy: ScalingPolicy, batch: readonly TraceSample[], now: number) => {
    const result = evaluate({ policy, state: states.get(policy.target.id)!, samples: batch, now, observed });
    evaluations += 1;
    states.set(policy.target.id, result.state);
    alerts.push(...result.alerts);
    explanations.push(...result.explanations);
    for (const decision of result.decisions) record(decision);
    settlePlanSteps(
      policy,
      result.decisions.filter((decision) => decision.plan),
    );
  };

  const fireTimersBefore = (time: number) => {
    for (const policy of policies) {
      const state = states.get(policy.target.id);
      if (!state || state.lastEvaluatedAt === null) continue;
      for (let wakes = 0; wakes < MAX_WAKES_BETWEEN_SAMPLES; wakes += 1) {
        const wake = nextWakeAt(policy, states.get(policy.target.id)!, states.get(policy.target.id)!.lastEvaluatedAt!);
        if (wake === null || wake >= time) break;
        run(policy, [], wake);
      }
    }
  };

  for (let i = 0; i < samples.length;) {
    const first = samples[i]!;
    let end = i + 1;
    while (end < samples.length && samples[end]!.target === first.target && samples[end]!.timestamp === first.timestamp)
      end += 1;
    const batch = samples.slice(i, end);
    i = end;
    for (const sample of batch)
      if (isSetting(sample)) settings.set(settingKey(sample.target, sample.metric), sample.value);
    const readers = routes.get(first.target);
    if (!readers) {
      if (batch.every(isSetting)) continue;
      unknown.add(first.target);
      continue;
    }
    fireTimersBefore(first.timestamp);
    for (const policy of readers) {
      const id = policy.target.id;
      if (!states.has(id)) states.set(id, emptyState(initial ?? null));
      const workload = splitSamples(policy, first.target, batch, (observed) =>
        states.set(id, foldObservedValue(states.get(id)!, policy.setting, observed.value, observed.timestamp)),
      );
      if (workload.length) run(policy, workload, first.timestamp);
    }
  }
  return { decisions, alerts, explanations, evaluations, unknownTargets: [...unknown].sort() };
}

const settingKey = (targetId: string, setting: string) => `${targetId}\u0000${setting}`;

function appliedResult(decision: ScaleDecision): ActionResult {
  return {
    schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
    decisionId: decision.decisionId,
    target: decision.target,
    setting: decision.setting,
    status: decision.dryRun ? 'dry-run' : 'applied',
    before: decision.from,
    after: decision.to,
    durationMs: 0,
    error: null,
    verified: true,
    executor: 'surgectl simulate',
    time: decision.eventTime,
    plan: decision.plan,
  };
}
