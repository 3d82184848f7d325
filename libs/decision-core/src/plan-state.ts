/**
 * Where a plan run stands, kept in the policy target's state under its rule's name (TargetState.plans), so a
 * crash or a move to another instance resumes it from the last result: nothing is decided twice, since each
 * step's decision id is derived from the run, the step and the phase (plan-ids.ts).
 *
 * - `applying`: steps are decided one after the other, each once the one before has its final result;
 * - `applied`: every step has a result; the run holds its settings (plan-claims.ts) until recovery;
 * - `stopped`: a step failed and `onStepFailure` is `stop`; the steps done so far keep their values;
 * - `reverting`: the condition stayed clear for the recovery's `after`: the steps go back, last first;
 * - `done`: nothing more to do (reverted, or cleared without a recovery): the next breach starts a new run.
 */
export interface PlanRun {
  runId: string;
  /** When the breach that started the run began to hold (its rule's holdingSince): one run per breach. */
  breach: number;
  /** Event time at which the run started. */
  startedAt: number;
  phase: 'applying' | 'applied' | 'stopped' | 'reverting' | 'done';
  /** While applying: the step decided or next to decide. While reverting: the step being reverted. */
  step: number;
  steps: StepRun[];
  /** Since when the rule's condition has not held, while it does not. */
  clearedSince?: number;
  /** While reverting: when the next revert move may be decided, and how many moves so far (for their ids). */
  revert?: { nextAt: number; moves: number };
  /** Why the run stopped, for status and explanations. */
  reason?: string;
  /** The `before_` values a verification compares with, taken when the run started. */
  snapshot?: Record<string, number>;
  /** The check of the run's work (plan-verification.ts), once its last step has its result. */
  verification?: {
    dueAt: number;
    status: 'pending' | 'passed' | 'failed';
    detail?: string;
    /** Once judged: when, and the metrics the expression read then (the snapshot is the other side). */
    checkedAt?: number;
    after?: Record<string, number>;
  };
  /** Reverting because the verification failed: straight back, without the recovery's pace or its quiet. */
  rollback?: boolean;
  /** Rolled back while the breach went on: its SurgePlanRollback alert resolves when the breach clears. */
  rollbackAlertOpen?: boolean;
  /** Steps whose result alerted (a failure, or a step that notifies), with when: resolved when the run is done. */
  stepAlerts?: { step: number; source: 'action-failed' | 'rule'; at: number }[];
}

export interface StepRun {
  /** `awaiting-approval`: too big to take unattended, it waits for an operator (plan-approval.ts). */
  status: 'pending' | 'awaiting-approval' | 'decided' | 'succeeded' | 'failed' | 'skipped';
  /** The earliest time this step may be decided: the previous step's result (or the firing) plus its `after`. */
  notBefore?: number;
  /** The decision awaiting its result: the step's own, or its current revert move's. */
  decisionId?: string;
  /** When that decision was made: without a result by the plan's resultTimeout, it has failed. */
  decidedAt?: number;
  /**
   * The step's own decision, once it timed out: its result may still come (a slow rollout), and what it moved is
   * then held and reverted like any step's, since the setting really moved.
   */
  lateDecisionId?: string;
  /** The value before the step acted: the decision's `from`, and what a revert returns to. */
  before?: number;
  /** What the step asked for. */
  to?: number;
  /**
   * What the plan holds the setting at now: `to` once applied, then each revert move's value. A failed step holds
   * one too when its change was made all the same (`not-ready`, or a result after the timeout).
   */
  holds?: number;
  /** While a revert move awaits its result: the value it moves to. */
  revertTo?: number;
  /** The executor's status and note, or why the step was skipped. */
  outcome?: string;
  /** The operator's approval the step asked for, and its answer (plan-approval.ts). */
  approval?: ApprovalRequest;
}

/** A step's request for approval, kept with the run so a restart neither asks twice nor forgets the answer. */
export interface ApprovalRequest {
  requestedAt: number;
  /** Past it, the plan's `onTimeout` answers for the operator. */
  deadline: number;
  /** The units the step adds, and its estimated cost when the targets file gives a cost model. */
  added: number;
  cost?: number;
  currency?: string;
  /** Which threshold the step is above, in words. */
  why: string;
  answer?: { verdict: 'approved' | 'rejected' | 'timed-out' | 'withdrawn'; at: number; by?: string; reason?: string };
}

/** The value a step holds its setting at: set once its change was made, succeeded or not; none once skipped. */
export function heldValue(step: StepRun): number | undefined {
  return step.status === 'succeeded' || step.status === 'failed' ? step.holds : undefined;
}
