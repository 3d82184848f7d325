import type { PlanStatus } from '@surge/contracts';
import type { ApprovalRequest } from '@surge/decision-core';
import type { StepApproval } from '@surge/policy';

type ApprovalStatus = NonNullable<PlanStatus['steps'][number]['approval']>;

/** A step's approval request as `/status` shows it: the console's Approve/Reject and its deadline come from it. */
export function approvalStatusOf(request: ApprovalRequest, approval: StepApproval | undefined): ApprovalStatus {
  const answer = request.answer;
  return {
    requestedAt: request.requestedAt,
    deadline: request.deadline,
    onTimeout: approval?.onTimeout ?? 'skip',
    added: request.added,
    cost: request.cost ?? null,
    currency: request.currency ?? null,
    why: request.why,
    answer: answer
      ? { verdict: answer.verdict, at: answer.at, by: answer.by ?? null, reason: answer.reason ?? null }
      : null,
  };
}
