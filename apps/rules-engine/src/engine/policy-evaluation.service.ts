import { Injectable } from '@nestjs/common';
import type { ActionResult, AlertEvent, MetricSample, ScaleDecision, ScaleExplanation } from '@surge/contracts';
import {
  admitSamples,
  emptyState,
  evaluate,
  metricsRead,
  noUnused,
  onPlanResults,
  type UnusedCounts,
  withReadSamplesOnly,
} from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import { ControlState } from '../control/control-state.service';
import { TargetCosts } from '../policies/target-costs';
import type { Watermarks } from '../state/stored-target.codec';
import { claimWrites, type LoadedTarget } from './plan-inputs';
import type { TargetCommit } from './state-commit.service';

export type Sample = Pick<MetricSample, 'metric' | 'value' | 'timestamp'>;

/** The samples one envelope brings to one policy, from the target the envelope is about. */
export interface PolicyInput {
  source: string;
  samples: readonly Sample[];
}

/** A target's outcome of one batch: what to store, and for each decision its triggering sample's time. */
export interface BatchOutcome extends TargetCommit {
  policy: ScalingPolicy;
  triggeredAt: number[];
  evaluations: number;
}

function latestTimestamp(samples: readonly Sample[]): number {
  let latest = -Infinity;
  for (const sample of samples) if (sample.timestamp > latest) latest = sample.timestamp;
  return latest;
}

/** The marks of the policy's sources only: a source the policy stopped reading is forgotten. */
function marksOfSources(policy: ScalingPolicy, stored: Watermarks | undefined): Watermarks {
  const marks: Watermarks = {};
  for (const source of [policy.target.id, ...policy.metricsFrom])
    if (stored?.[source]) marks[source] = { ...stored[source] };
  return marks;
}

/**
 * Runs the pure decision core for one target, under the operator's controls in force: for the samples a batch
 * brings, or at a timer's due time. Nothing here waits: loading and storing are the caller's.
 */
@Injectable()
export class PolicyEvaluation {
  constructor(
    private readonly control: ControlState,
    private readonly costs: TargetCosts,
  ) {}

  /**
   * Evaluates each input in offset order, with the samples of it the policy can use: each sample is deduplicated
   * by (source, metric, timestamp) and counted in `unused` when it cannot be used, so no sample hides another.
   * The hot loop of the engine: plain loops, and nothing allocated for an evaluation that decides nothing.
   */
  onSamples(
    id: string,
    policy: ScalingPolicy,
    loaded: LoadedTarget | null,
    inputs: PolicyInput[],
    unused: UnusedCounts = noUnused(),
  ): BatchOutcome {
    const stored: LoadedTarget = loaded ?? { state: emptyState(), outbox: [] };
    const effective = this.control.effective(policy);
    const plan = stored.plan;
    const read = metricsRead(policy);
    const watermarks = marksOfSources(policy, stored.watermarks);
    let state = withReadSamplesOnly(stored.state, read, policy.setting);
    let evaluations = 0;
    const decisions: ScaleDecision[] = [];
    const alerts: AlertEvent[] = [];
    const explanations: ScaleExplanation[] = [];
    const triggeredAt: number[] = [];
    for (const input of inputs) {
      const marks = (watermarks[input.source] ??= {});
      const samples = admitSamples(input.samples, read, marks, unused);
      if (!samples.length) continue;
      const latest = latestTimestamp(samples);
      const result = evaluate({
        policy: effective,
        state,
        samples,
        globalPause: this.control.globalPause,
        verdicts: this.control.answers.verdicts,
        costs: this.costs.lookup,
        observed: plan?.observed,
        claims: plan?.claims,
      });
      state = result.state;
      for (const decision of result.decisions) {
        decisions.push(decision);
        triggeredAt.push(latest);
      }
      for (const alert of result.alerts) alerts.push(alert);
      for (const explanation of result.explanations) explanations.push(explanation);
      evaluations += 1;
    }
    return {
      id,
      policy,
      state,
      watermarks,
      decisions,
      alerts,
      explanations,
      triggeredAt,
      evaluations,
      fence: stored.fence,
      claims: claimWrites(effective, plan, stored.state, state),
    };
  }

  /**
   * A `for` window expiring or a schedule starting: an evaluation at the timer's due time, without samples.
   * Null when a sample evaluated at or after that time has already covered it.
   */
  atTime(policy: ScalingPolicy, stored: LoadedTarget, timerAt: number): TargetCommit | null {
    const last = stored.state.lastEvaluatedAt;
    if (last !== null && last >= timerAt) return null;
    const effective = this.control.effective(policy);
    const result = evaluate({
      policy: effective,
      state: stored.state,
      now: timerAt,
      globalPause: this.control.globalPause,
      verdicts: this.control.answers.verdicts,
      costs: this.costs.lookup,
      observed: stored.plan?.observed,
      claims: stored.plan?.claims,
    });
    return {
      id: policy.target.id,
      state: result.state,
      watermarks: stored.watermarks,
      decisions: result.decisions,
      alerts: result.alerts,
      explanations: result.explanations,
      fence: stored.fence,
      claims: claimWrites(effective, stored.plan, stored.state, result.state),
    };
  }

  /**
   * Action results of the target's plan steps, folded into its runs: the next step's decision, if one is due.
   * Null when the results change nothing (another run's, or a redelivery), so nothing is stored.
   */
  onPlanResults(
    policy: ScalingPolicy,
    stored: LoadedTarget,
    results: readonly ActionResult[],
    now: number,
  ): TargetCommit | null {
    const effective = this.control.effective(policy);
    const outcome = onPlanResults({
      policy: effective,
      state: stored.state,
      results,
      now,
      globalPause: this.control.globalPause,
      verdicts: this.control.answers.verdicts,
      costs: this.costs.lookup,
      observed: stored.plan?.observed,
      // A revert decided right after a result must respect other policies' holds as the timer's does.
      claims: stored.plan?.claims,
    });
    if (!outcome.changed) return null;
    return {
      id: policy.target.id,
      state: outcome.state,
      watermarks: stored.watermarks,
      decisions: outcome.decisions,
      // A failed step, a notifying step, a rollback finished: the alerts a result raises go out with its state.
      alerts: outcome.alerts,
      fence: stored.fence,
      claims: claimWrites(effective, stored.plan, stored.state, outcome.state),
    };
  }
}
