import type { ScaleDecision } from '@surge/contracts';
import {
  emptyState,
  evaluate,
  foldObservedValue,
  nextWakeAt,
  policiesBySampleTarget,
  splitSamples,
  type TargetState,
} from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import type { TraceSample } from './trace-reader';

export type SimulatedDecision = ScaleDecision & { timestamp: string; reason: string };

export interface SimulationResult {
  decisions: SimulatedDecision[];
  evaluations: number;
  /** Targets that had samples but no policy. */
  unknownTargets: string[];
}

/** Guards against a pathological timer loop; far more wake-ups than any real trace needs between two samples. */
const MAX_WAKES_BETWEEN_SAMPLES = 10_000;

/**
 * Runs a trace through the decision core as the rules-engine does: samples of one target with the same event
 * time are evaluated together, timers (a `for` window expiring, a schedule starting) fire between samples,
 * and every decision counts as applied at once. A trace line of the target's own setting (`replicas`) is its
 * observed value, folded in as the engine folds an executor's observation, without an evaluation of its own;
 * every other setting name is dropped from the workload, by the split the engine uses (`splitSamples`).
 */
export function simulate(policies: ScalingPolicy[], samples: TraceSample[], initial?: number): SimulationResult {
  const routes = policiesBySampleTarget(policies);
  const states = new Map<string, TargetState>();
  const decisions: SimulatedDecision[] = [];
  const unknown = new Set<string>();
  let evaluations = 0;

  const run = (policy: ScalingPolicy, batch: readonly TraceSample[], now: number) => {
    const result = evaluate({ policy, state: states.get(policy.target.id)!, samples: batch, now });
    evaluations += 1;
    states.set(policy.target.id, result.state);
    for (const decision of result.decisions) {
      decisions.push({
        ...decision,
        timestamp: new Date(decision.eventTime).toISOString(),
        reason: decision.explanation.summary,
      });
    }
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
    const readers = routes.get(first.target);
    if (!readers) {
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
  return { decisions, evaluations, unknownTargets: [...unknown].sort() };
}
