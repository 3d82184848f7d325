import { namedSettingCode } from '@surge/contracts';
import { compileExpression } from './expression';
import type { ApprovalSpec } from './approval.schema';
import type { PlanSpec, RecoverySpec, VerifySpec } from './plan.schema';
import { SCALE_BY } from './plan.schema';
import type { Plan, PlanStep, PolicyTarget, Recovery, RuleAction, Verify } from './policy.types';

type At = (path: (string | number)[], message: string) => void;

/**
 * A plan's steps with every default filled in: the policy's target and setting, `step-<n>` names, named values
 * as their codes. Two steps on one target and setting are refused: the second would undo the first, and their
 * reverts could not both restore "the value from before".
 */
export function normalizePlan(
  plan: PlanSpec,
  path: (string | number)[],
  own: { target: PolicyTarget; setting: string },
  at: At,
): Plan | undefined {
  const seen = new Map<string, number>();
  const steps = plan.steps.map((step, index) => {
    const target = step.target ?? own.target;
    const setting = step.setting ?? own.setting;
    const key = `${target.kind}\u0000${target.id}\u0000${setting}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      at(
        [...path, 'steps', index],
        `sets ${target.id} ${setting} again (step ${earlier} sets it): one step per setting`,
      );
    seen.set(key, index);
    const action =
      step.scaleTo !== undefined
        ? valueOf(step.scaleTo, setting, [...path, 'steps', index, 'scaleTo'], at)
        : scaleBy(step.scaleBy!);
    return {
      name: step.name ?? `step-${index}`,
      target,
      setting,
      action: typeof action === 'number' ? ({ kind: 'scaleTo', value: action } as const) : action,
      afterSeconds: step.after ?? 0,
      ...(step.notify ? { notify: true as const } : {}),
      ...approvalOf(
        step.approval ?? plan.approval,
        [...path, ...(step.approval ? ['steps', index] : []), 'approval'],
        at,
      ),
    };
  });
  if (steps.some((step) => step.action === undefined)) return undefined;
  if (plan.resultTimeout <= 0) at([...path, 'resultTimeout'], 'must be positive');
  return { onStepFailure: plan.onStepFailure, resultTimeoutSeconds: plan.resultTimeout, steps: steps as Plan['steps'] };
}

export function normalizeRecovery(
  recovery: RecoverySpec,
  path: (string | number)[],
  setting: string | undefined,
  at: At,
): Recovery | undefined {
  if (recovery.by !== undefined && recovery.through !== undefined)
    at([...path, 'by'], 'by or through, not both: through lists the values, by computes them');
  const every = recovery.every ?? 0;
  if ((recovery.by !== undefined || recovery.through !== undefined) && every <= 0)
    at([...path, 'every'], 'a gradual recovery needs every: the time between its moves');
  // Named values resolve against the rule's own setting only: a plan's steps may each have another.
  const resolve = (value: number | string, where: (string | number)[]) =>
    setting === undefined && typeof value === 'string'
      ? void at(where, 'a named value needs the setting it names: write the number')
      : valueOf(value, setting ?? '', where, at);
  const through = recovery.through?.map((value, index) => resolve(value, [...path, 'through', index]));
  const to = recovery.to === undefined ? undefined : resolve(recovery.to, [...path, 'to']);
  if (through?.some((value) => value === undefined) || (recovery.to !== undefined && to === undefined)) return;
  return {
    afterSeconds: recovery.after,
    everySeconds: every,
    ...(recovery.by === undefined ? {} : { by: byOf(recovery.by) }),
    ...(through ? { through: through as number[] } : {}),
    ...(to === undefined ? {} : { to }),
  };
}

function approvalOf(
  spec: ApprovalSpec | undefined,
  path: (string | number)[],
  at: At,
): { approval?: PlanStep['approval'] } {
  if (!spec) return {};
  if (spec.timeout <= 0) at([...path, 'timeout'], 'must be positive: how long the step waits for an operator');
  return {
    approval: {
      ...(spec.above.replicas === undefined ? {} : { aboveReplicas: spec.above.replicas }),
      ...(spec.above.cost === undefined ? {} : { aboveCost: spec.above.cost }),
      timeoutSeconds: spec.timeout,
      onTimeout: spec.onTimeout,
    },
  };
}

function valueOf(value: number | string, setting: string, path: (string | number)[], at: At): number | undefined {
  if (typeof value === 'number') return value;
  const code = namedSettingCode(setting, value);
  if (code === undefined) at(path, `"${value}" is not a named value of ${setting}: write a number`);
  return code;
}

function scaleBy(raw: string | number): RuleAction {
  if (typeof raw === 'number') return { kind: 'scaleBy', mode: 'absolute', amount: raw };
  const [, sign, digits, percent] = SCALE_BY.exec(raw)!;
  return { kind: 'scaleBy', mode: percent ? 'percent' : 'absolute', amount: Number(digits) * (sign === '-' ? -1 : 1) };
}

function byOf(raw: string | number): NonNullable<Recovery['by']> {
  if (typeof raw === 'number') return { mode: 'absolute', amount: raw };
  const percent = raw.endsWith('%');
  return { mode: percent ? 'percent' : 'absolute', amount: Number(percent ? raw.slice(0, -1) : raw) };
}

/** The prefix that reads a metric's value from when the run started. */
export const BEFORE_PREFIX = 'before_';

export function normalizeVerify(
  verify: VerifySpec,
  path: (string | number)[],
  hasPlan: boolean,
  at: At,
): Verify | undefined {
  if (!hasPlan) at(path, 'verify checks a plan: write the action as a one-step plan');
  if (verify.within <= 0) at([...path, 'within'], 'must be positive: the time the change gets to show');
  try {
    return { withinSeconds: verify.within, expression: compileExpression(verify.expr), onFailure: verify.onFailure };
  } catch (error) {
    at([...path, 'expr'], (error as Error).message);
    return undefined;
  }
}
