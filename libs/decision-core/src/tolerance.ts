import type { Behavior } from '@surge/policy';

/**
 * HPA's tolerance check (KEP-4951 per direction): no change while the usage ratio lies within
 * [1 - scaleDown.tolerance, 1 + scaleUp.tolerance], bounds included, as the controller's `isWithin` does.
 */
export function isWithinTolerance(usageRatio: number, behavior: Behavior): boolean {
  return 1 - behavior.scaleDown.tolerance <= usageRatio && usageRatio <= 1 + behavior.scaleUp.tolerance;
}
