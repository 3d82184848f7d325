import type { Behavior, RatePolicy, ScalingRules, SelectPolicy } from './policy.types';

/** KEP-4951: the controller-wide default tolerance, applied to each direction unless set. */
export const DEFAULT_TOLERANCE = 0.1;

/**
 * HPA v2's defaults, as the Kubernetes documentation states them ("Default Behavior"): scale up without
 * stabilization by the faster of doubling or +4 pods per 15 s; scale down to the lowest recommendation of the
 * last 5 minutes, by up to 100 % per 15 s.
 */
export const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 100, periodSeconds: 15 },
    { type: 'Pods', value: 4, periodSeconds: 15 },
  ],
  tolerance: DEFAULT_TOLERANCE,
};

export const DEFAULT_SCALE_DOWN: ScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  tolerance: DEFAULT_TOLERANCE,
};

export interface PartialScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: SelectPolicy;
  policies?: RatePolicy[];
  tolerance?: number;
}

/** HPA fills each omitted field from the default of its direction, field by field. */
export function withDefaults(
  partial: { scaleUp?: PartialScalingRules; scaleDown?: PartialScalingRules } | undefined,
): Behavior {
  const fill = (given: PartialScalingRules | undefined, defaults: ScalingRules): ScalingRules => ({
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: given?.policies ?? defaults.policies.map((policy) => ({ ...policy })),
    tolerance: given?.tolerance ?? defaults.tolerance,
  });
  return { scaleUp: fill(partial?.scaleUp, DEFAULT_SCALE_UP), scaleDown: fill(partial?.scaleDown, DEFAULT_SCALE_DOWN) };
}
