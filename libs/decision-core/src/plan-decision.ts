import { type PlanRef, SCALE_DECISION_SCHEMA_VERSION, type ScaleDecision } from '@surge/contracts';
import { coarseSeverity, type PlanStep, type ScalingPolicy, type ThresholdRule } from '@surge/policy';
import { planStepDecisionIdOf } from './plan-ids';
import type { PlanRun } from './plan-state';
import { verificationRecord } from './plan-verification';

/** One step of a plan run, or one move of its revert, as a decision for the step's target and setting. */
export function planStepDecision(args: {
  policy: ScalingPolicy;
  rule: ThresholdRule;
  run: PlanRun;
  index: number;
  phase: PlanRef['phase'];
  move?: number;
  from: number;
  to: number;
  now: number;
  why: string;
  /** The operator who approved a step too big to take unattended (plan-approval.ts). */
  approvedBy?: string | undefined;
}): ScaleDecision {
  const { policy, rule, run, index, phase, from, to, now } = args;
  const step: PlanStep = rule.plan!.steps[index]!;
  const of = `${index + 1}/${rule.plan!.steps.length}`;
  const what = `${step.setting} ${from} → ${to} on ${step.target.id}`;
  const summary =
    phase === 'apply'
      ? `plan ${rule.name}, step ${of} (${step.name}): ${what}; ${args.why}`
      : `plan ${rule.name}, reverting step ${of} (${step.name}): ${what}; ${args.why}`;
  // A judged verification rides on every later decision of the run: its rollback says what failed, its recovery
  // that the change held.
  const verification = verificationRecord(rule, run);
  const verdict = verification ? { verification } : {};
  return {
    schemaVersion: SCALE_DECISION_SCHEMA_VERSION,
    decisionId: planStepDecisionIdOf(run.runId, index, step.setting, phase, args.move ?? 0),
    target: { kind: step.target.kind, id: step.target.id },
    setting: step.setting,
    from,
    to,
    direction: to > from ? 'up' : 'down',
    severity: coarseSeverity(rule.severity),
    ruleSeverity: rule.severity,
    dryRun: policy.dryRun,
    policy: policy.name,
    policyVersion: policy.version,
    eventTime: now,
    explanation: {
      summary,
      trigger: { kind: 'rule', name: rule.name },
      metrics: [],
      rules: [],
      constraints: [],
      rawRecommendation: to,
      final: to,
      winner: `rule ${rule.name} plan step ${step.name}`,
    },
    plan: {
      runId: run.runId,
      policyTarget: policy.target.id,
      rule: rule.name,
      step: index,
      phase,
      ...(args.approvedBy ? { approvedBy: args.approvedBy } : {}),
      ...verdict,
    },
  };
}
