import { ALERT_EVENT_SCHEMA_VERSION, type AlertEvent, type CostModel } from '@surge/contracts';
import {
  type PlanStep,
  type PolicyTarget,
  type ScalingPolicy,
  severityRank,
  type StepApproval,
  type ThresholdRule,
} from '@surge/policy';
import { alertIdOf } from './event-ids';
import type { ApprovalRequest, PlanRun } from './plan-state';

/** An operator's answer to a step's request, from the control topic: keyed by run id and step index. */
export interface OperatorVerdict {
  verdict: 'approve' | 'reject';
  actor: string;
  reason?: string;
  /** When the operator answered (the control event's time): an answer after the deadline comes too late. */
  time: number;
}

/** The answer given to one step of one run; a new run has a new id, so an old run's answer never reaches it. */
export type VerdictLookup = (runId: string, step: number) => OperatorVerdict | undefined;

/** A setting's cost model from the targets file, when it gives one. */
export type CostLookup = (target: Pick<PolicyTarget, 'kind' | 'id'>, setting: string) => CostModel | undefined;

export interface ApprovalContext {
  policy: ScalingPolicy;
  now: number;
  alerts?: AlertEvent[];
  verdicts?: VerdictLookup;
  costs?: CostLookup;
}

/**
 * What a due step may do about its approval: `decide` it as usual (no approval needed, approved, or timed out
 * with `onTimeout: apply`), `wait` for the operator, treat it as `rejected` (the plan's onStepFailure applies),
 * or go on without it (`skipped`, timed out with `onTimeout: skip`).
 */
export type ApprovalGate = 'decide' | 'wait' | 'rejected' | 'skipped';

/**
 * Asks for approval of a step above its plan's size, once, and reads the answer on each later call. The request
 * is stored in the step (its deadline included), so a restart neither asks again nor restarts the timeout.
 */
export function gateStep(
  ctx: ApprovalContext,
  rule: ThresholdRule,
  run: PlanRun,
  from: number,
  to: number,
): ApprovalGate {
  const index = run.step;
  const spec = rule.plan!.steps[index]!;
  const step = run.steps[index]!;
  if (!spec.approval) return 'decide';
  if (!step.approval) {
    const request = requestFor(ctx, spec, spec.approval, from, to);
    if (!request) return 'decide';
    step.approval = request;
    step.status = 'awaiting-approval';
    step.outcome = `awaiting approval until ${new Date(request.deadline).toISOString()}: ${request.why}`;
    ctx.alerts?.push(approvalAlert(ctx.policy, rule, run, index, null));
  }
  const request = step.approval;
  if (request.answer) return 'decide';
  const verdict = ctx.verdicts?.(run.runId, index);
  if (verdict && verdict.time <= request.deadline) {
    const answer = verdict.verdict === 'approve' ? 'approved' : 'rejected';
    request.answer = {
      verdict: answer,
      at: ctx.now,
      by: verdict.actor,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
    };
  } else if (ctx.now >= request.deadline) request.answer = { verdict: 'timed-out', at: ctx.now };
  else return 'wait';
  ctx.alerts?.push(approvalAlert(ctx.policy, rule, run, index, ctx.now));
  step.status = 'pending';
  delete step.outcome;
  if (request.answer.verdict === 'approved') return 'decide';
  if (request.answer.verdict === 'rejected') return 'rejected';
  if (spec.approval.onTimeout === 'apply') return 'decide';
  step.status = 'skipped';
  step.outcome = `skipped: ${approvalNote(request)}`;
  return 'skipped';
}

/** A run that ends while a step still waits (its condition cleared): the request is withdrawn, its alert resolved. */
export function withdrawApproval(ctx: ApprovalContext, rule: ThresholdRule, run: PlanRun): void {
  const request = run.steps[run.step]?.approval;
  if (!request || request.answer) return;
  request.answer = { verdict: 'withdrawn', at: ctx.now };
  ctx.alerts?.push(approvalAlert(ctx.policy, rule, run, run.step, ctx.now));
}

/** What an explanation says of the answer: who approved the decision, or that the timeout did. */
export function approvalNote(request: ApprovalRequest | undefined): string | undefined {
  const answer = request?.answer;
  if (!answer) return undefined;
  const reason = answer.reason ? `: ${answer.reason}` : '';
  if (answer.verdict === 'approved') return `approved by ${answer.by}${reason}`;
  if (answer.verdict === 'rejected') return `rejected by ${answer.by}${reason}`;
  if (answer.verdict === 'withdrawn') return 'withdrawn: the condition cleared';
  const waited = Math.round((request!.deadline - request!.requestedAt) / 1000);
  return `no approval within ${waited}s`;
}

/** The request a step needs, or none when it stays within every threshold its approval sets. */
function requestFor(
  ctx: ApprovalContext,
  spec: PlanStep,
  approval: StepApproval,
  from: number,
  to: number,
): ApprovalRequest | undefined {
  const added = Math.max(0, to - from);
  const model = ctx.costs?.(spec.target, spec.setting);
  // In cents: a threshold compares money, and 5255.999… is 5256.00 to whoever approves it.
  const cost = model ? Math.round(added * model.perUnitHour * model.horizonHours * 100) / 100 : undefined;
  const reasons: string[] = [];
  if (approval.aboveReplicas !== undefined && added > approval.aboveReplicas)
    reasons.push(`adds ${added} ${spec.setting} (above ${approval.aboveReplicas})`);
  if (approval.aboveCost !== undefined && added > 0) {
    // A step whose cost cannot be estimated may be above the limit: it asks, rather than spend unseen.
    if (cost === undefined)
      reasons.push(`cost unknown: the targets file has no cost model for ${spec.target.id} ${spec.setting}`);
    else if (cost > approval.aboveCost)
      reasons.push(
        `costs about ${cost.toFixed(2)} ${model!.currency} over ${model!.horizonHours}h (above ${approval.aboveCost})`,
      );
  }
  if (!reasons.length) return undefined;
  return {
    requestedAt: ctx.now,
    deadline: ctx.now + approval.timeoutSeconds * 1000,
    added,
    ...(cost === undefined ? {} : { cost, currency: model!.currency }),
    why: reasons.join('; '),
  };
}

/**
 * `SurgePlanApprovalNeeded`: a step waits for an operator. It fires when the step asks and resolves when it is
 * answered (approved, rejected, or timed out), with what would be done, why, and the deadline.
 */
export function approvalAlert(
  policy: ScalingPolicy,
  rule: ThresholdRule,
  run: PlanRun,
  index: number,
  endsAt: number | null,
): AlertEvent {
  const spec = rule.plan!.steps[index]!;
  const step = run.steps[index]!;
  const request = step.approval!;
  const what = `${spec.setting} ${step.before ?? '?'} → ${step.to ?? '?'} on ${spec.target.id}`;
  const onTimeout = spec.approval?.onTimeout ?? 'skip';
  const deadline = `${new Date(request.deadline).toISOString()} (then ${onTimeout})`;
  const timedOut = request.answer?.verdict === 'timed-out';
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId: alertIdOf(policy.target.id, policy.name, `${rule.name}\u0000approval\u0000${index}`, run.breach),
    status: endsAt === null ? 'firing' : 'resolved',
    source: 'approval-needed',
    labels: {
      alertname: 'SurgePlanApprovalNeeded',
      target: policy.target.id,
      policy: policy.name,
      rule: rule.name,
      severity: rule.severity,
    },
    severityRank: severityRank(rule.severity),
    annotations: {
      summary:
        endsAt === null
          ? `${rule.severity} plan ${rule.name} step ${spec.name} waits for approval: ${what}`
          : `resolved: plan ${rule.name} step ${spec.name} ${approvalNote(request) ?? 'answered'}${timedOut ? `: onTimeout ${onTimeout}` : ''}`,
      description: `Plan run ${run.runId}, step ${index + 1} of ${rule.plan!.steps.length}: ${request.why}; approve or reject by ${deadline}.`,
      why: `rule ${rule.name} fired`,
      size:
        request.cost === undefined
          ? `${request.added} ${spec.setting}`
          : `${request.added} ${spec.setting}, ${request.cost.toFixed(2)} ${request.currency}`,
      deadline,
      runId: run.runId,
      step: String(index),
    },
    startsAt: request.requestedAt,
    endsAt,
    eventTime: endsAt ?? request.requestedAt,
    policyVersion: policy.version,
    target: { kind: policy.target.kind, id: policy.target.id },
    plan: { runId: run.runId, policyTarget: policy.target.id, rule: rule.name, step: index },
  };
}
