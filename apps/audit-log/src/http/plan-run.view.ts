import type { PlanRef } from '@surge/contracts';
import type { AuditEventView } from '../events/audit-row';

export interface PlanStepView {
  step: number;
  phase: PlanRef['phase'];
  decision: AuditEventView | null;
  actions: AuditEventView[];
  /** The final status of the step's last action result, or null while none has come. */
  status: string | null;
}

/**
 * Groups a run's records by decision: each step (and each move of its revert) once, in the order decided, with
 * the results that followed it. A result whose decision was not recorded (its record lost, or still on its way)
 * still shows, under its own step.
 */
export function planRunView(runId: string, events: readonly AuditEventView[]) {
  const steps = new Map<string, PlanStepView>();
  let policyTarget: string | null = null;
  let rule: string | null = null;
  for (const event of events) {
    const plan = (event.payload as { plan?: PlanRef }).plan;
    if (!plan || !event.decisionId) continue;
    policyTarget ??= plan.policyTarget;
    rule ??= plan.rule;
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
  return { runId, policyTarget, rule, steps: [...steps.values()] };
}
