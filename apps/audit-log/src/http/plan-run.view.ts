import type { PlanRef, PlanVerification } from '@surge/contracts';
import type { AuditEventView } from '../events/audit-row';

export interface PlanStepView {
  step: number;
  phase: PlanRef['phase'];
  decision: AuditEventView | null;
  actions: AuditEventView[];
  /** The final status of the step's last action result, or null while none has come. */
  status: string | null;
}

/** An operator's answer to a step awaiting approval, as the control topic carried it. */
export interface PlanAnswerView {
  step: number;
  answer: 'approve' | 'reject';
  actor: string;
  reason: string | null;
  time: string;
}

/**
 * Groups a run's records by decision: each step (and each move of its revert) once, in the order decided, with
 * the results that followed it. A result whose decision was not recorded (its record lost, or still on its way)
 * still shows, under its own step. Operators' answers to steps awaiting approval are listed apart, with who gave them.
 */
export function planRunView(runId: string, events: readonly AuditEventView[]) {
  const steps = new Map<string, PlanStepView>();
  const answers: PlanAnswerView[] = [];
  const alerts: AuditEventView[] = [];
  let policyTarget: string | null = null;
  let rule: string | null = null;
  // The verdict as first recorded (a rollback decision, a recovery's, the alert of a failure): it never changes.
  let verification: PlanVerification | null = null;
  for (const event of events) {
    const plan = (event.payload as { plan?: Partial<PlanRef> }).plan;
    if (!plan) continue;
    if (event.type === 'control.approve' || event.type === 'control.reject') {
      answers.push(answerOf(event));
      continue;
    }
    verification ??= plan.verification ?? null;
    policyTarget ??= plan.policyTarget ?? null;
    rule ??= plan.rule ?? null;
    if (event.type === 'alert') alerts.push(event);
    if (!event.decisionId || plan.step === undefined || plan.phase === undefined) continue;
    let step = steps.get(event.decisionId);
    if (!step)
      steps.set(
        event.decisionId,
        (step = { step: plan.step, phase: plan.phase, decision: null, actions: [], status: null }),
      );
    if (event.type === 'decision') step.decision = event;
    if (event.type === 'action') {
      step.actions.push(event);
      step.status = event.status;
    }
  }
  return { runId, policyTarget, rule, steps: [...steps.values()], verification, alerts, answers };
}

function answerOf(event: AuditEventView): PlanAnswerView {
  const payload = event.payload as { plan: { step: number }; actor: string; reason?: string };
  return {
    step: payload.plan.step,
    answer: event.type === 'control.approve' ? 'approve' : 'reject',
    actor: payload.actor,
    reason: payload.reason ?? null,
    time: event.time,
  };
}
