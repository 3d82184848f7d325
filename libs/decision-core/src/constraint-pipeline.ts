import type { ScalingPolicy } from '@surge/policy';
import type { AppliedConstraint } from './explanation';
import type { ActiveSchedule } from './schedules';
import { LEGACY } from './legacy-normalization';
import type { StabilizationResult } from './stabilization';

/**
 * The value after each step of the pipeline, in the order evaluate() applies them. Only numbers: most
 * evaluations keep the value and are never explained, so the sentences are written (by explainConstraints)
 * only for an evaluation that decides.
 */
export interface ConstraintPipeline {
  /** The winning recommendation, had tolerance held nothing. */
  raw: number;
  tolerated: number;
  stabilized: StabilizationResult;
  /** The rate policies' limit in the direction of the stabilized value; null when it keeps the value. */
  limit: number | null;
  limited: number;
  floor: ActiveSchedule | undefined;
  lifted: number;
  stepped: number;
  bounded: number;
}

/** Every constraint applied, in order: tolerance, stabilization, policy limit, schedule floor, maxStep, min/max. */
export function explainConstraints(policy: ScalingPolicy, current: number, p: ConstraintPipeline): AppliedConstraint[] {
  const { behavior } = policy;
  const direction = Math.sign(p.stabilized.value - current);
  const constraints: AppliedConstraint[] = [
    {
      name: 'tolerance',
      before: p.raw,
      after: p.tolerated,
      detail: `within [${1 - behavior.scaleDown.tolerance}, ${1 + behavior.scaleUp.tolerance}] of target keeps the current value`,
    },
    {
      name: 'stabilization',
      before: p.tolerated,
      after: p.stabilized.value,
      detail: policy.legacyBehavior
        ? `no behavior (HPA's legacy path): the highest recommendation of the last ${LEGACY.stabilizationSeconds}s, ${p.stabilized.value}`
        : `scale-up window ${behavior.scaleUp.stabilizationWindowSeconds}s (lowest ${p.stabilized.upRecommendation}), scale-down window ${behavior.scaleDown.stabilizationWindowSeconds}s (highest ${p.stabilized.downRecommendation})`,
    },
    {
      name: 'policy-limit',
      before: p.stabilized.value,
      after: p.limited,
      detail:
        policy.legacyBehavior && direction !== 0
          ? direction > 0
            ? `no behavior (HPA's legacy path): at most max(${LEGACY.scaleUpLimitFactor} × the value ${LEGACY.syncPeriodSeconds}s ago, ${LEGACY.scaleUpLimitMinimum}), up to ${p.limit}`
            : "no behavior (HPA's legacy path): no scale-down rate limit"
          : direction > 0
            ? `scaleUp selectPolicy ${behavior.scaleUp.selectPolicy} allows up to ${p.limit}`
            : direction < 0
              ? `scaleDown selectPolicy ${behavior.scaleDown.selectPolicy} allows down to ${p.limit}`
              : 'no change',
    },
  ];
  if (p.floor)
    constraints.push({
      name: 'schedule-floor',
      before: p.limited,
      after: p.lifted,
      detail: `schedule ${p.floor.schedule.name} (${p.floor.schedule.cron} ${p.floor.schedule.timezone}) holds at least ${p.floor.schedule.min}`,
    });
  constraints.push(
    {
      name: 'max-step',
      before: p.lifted,
      after: p.stepped,
      detail: policy.maxStep === undefined ? 'no maxStep' : `at most ${policy.maxStep} per decision`,
    },
    { name: 'bounds', before: p.stepped, after: p.bounded, detail: `min ${policy.min}, max ${policy.max}` },
  );
  return constraints;
}
