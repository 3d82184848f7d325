import { normalizeRecovery } from './normalize-plan';
import type { PlanSpec, RecoverySpec } from './plan.schema';
import type { Plan, PolicyTarget } from './policy.types';

type At = (path: (string | number)[], message: string) => void;

/**
 * Each step's way back. The rule's `by`, `through` and `to` are values of the policy's own setting, so they shape
 * only the steps on its own target and setting: a `through: [4, 2]` written for replicas is no path for a room's
 * mode. Any other step goes straight back to its value from before unless it has a `recovery` of its own, whose
 * named values are its setting's and whose `every` defaults to the rule's. The rule's `after` starts every revert.
 */
export function withStepRecoveries(
  plan: Plan,
  spec: PlanSpec,
  ruleSpec: RecoverySpec | undefined,
  own: { target: PolicyTarget; setting: string },
  path: (string | number)[],
  at: At,
): Plan {
  const isOwn = (step: Plan['steps'][number]) =>
    step.target.id === own.target.id && step.target.kind === own.target.kind && step.setting === own.setting;
  const shaped = ruleSpec && (ruleSpec.to !== undefined || ruleSpec.through !== undefined);
  if (shaped && !plan.steps.some((step, index) => isOwn(step) && !spec.steps[index]!.recovery)) {
    const field = ruleSpec.through !== undefined ? 'through' : 'to';
    at(
      [...path, 'recovery', field],
      `is a value of ${own.setting} on ${own.target.id}, and no step without its own recovery sets it: ` +
        'give each step its own recovery (steps[].recovery)',
    );
  }
  const steps = plan.steps.map((step, index) => {
    const stepSpec = spec.steps[index]!.recovery;
    if (!stepSpec) return step;
    const where = [...path, 'plan', 'steps', index, 'recovery'];
    if (!ruleSpec) {
      at(where, "a step's recovery needs the rule's recovery: its after says when the revert starts");
      return step;
    }
    const every = stepSpec.every ?? ruleSpec.every;
    const normalized = normalizeRecovery({ ...stepSpec, after: 0, every }, where, step.setting, at);
    if (!normalized) return step;
    const { afterSeconds: _after, ...way } = normalized;
    return { ...step, recovery: way };
  });
  return { ...plan, steps };
}
