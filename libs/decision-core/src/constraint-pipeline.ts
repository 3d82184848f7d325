import type { ScalingPolicy } from '@surge/policy';
import type { AppliedConstraint } from './explanation';
import { LEGACY } from './legacy-normalization';
import type { EffectiveBounds } from './schedule-bounds';
import { type ActiveSchedule, describeWindow } from './schedules';
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
  /** The bounds in force: the policy's, or the active schedules' in their place. */
  bounds: EffectiveBounds;
  floor: ActiveSchedule | undefined;
  cap: ActiveSchedule | undefined;
  /** After the schedules' cap, then (`lifted`) after their floor. */
  capped: number;
  lifted: number;
  stepped: number;
  bounded: number;
}

/**
 * Every constraint applied, in order: tolerance, stabilization, policy limit, schedule cap, schedule floor,
 * maxStep, min/max.
 */
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
  if (p.cap)
    constraints.push({
      name: 'schedule-cap',
      before: p.limited,
      after: p.capped,
      detail:
        p.bounds.max > p.cap.schedule.max!
          ? `schedule ${p.cap.schedule.name} (${describeWindow(p.cap.schedule)}) caps at ${p.cap.schedule.max}, below the floor ${p.bounds.max}: the floor wins`
          : `schedule ${p.cap.schedule.name} (${describeWindow(p.cap.schedule)}) holds at most ${p.cap.schedule.max}`,
    });
  if (p.floor)
    constraints.push({
      name: 'schedule-floor',
      before: p.capped,
      after: p.lifted,
      detail: `schedule ${p.floor.schedule.name} (${describeWindow(p.floor.schedule)}) holds at least ${p.floor.schedule.min}`,
    });
  constraints.push(
    {
      name: 'max-step',
      before: p.lifted,
      after: p.stepped,
      detail: policy.maxStep === undefined ? 'no maxStep' : `at most ${policy.maxStep} per decision`,
    },
    {
      name: 'bounds',
      before: p.stepped,
      after: p.bounded,
      detail:
        p.floor || p.cap
          ? `min ${p.bounds.tolerated.min}, max ${p.bounds.tolerated.max}: the policy's [${policy.min}, ${policy.max}] and the schedules' [${p.bounds.min}, ${p.bounds.max}]`
          : `min ${policy.min}, max ${policy.max}`,
    },
  );
  return constraints;
}
