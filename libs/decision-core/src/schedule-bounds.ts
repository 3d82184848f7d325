import type { ScalingPolicy } from '@surge/policy';
import { type ActiveSchedule, scheduleCap, scheduleFloor } from './schedules';

/**
 * The bounds in force at one instant: the policy's, replaced by what the active schedules give. A schedule's
 * floor or cap replaces the policy's bound of the same side, so a weekend cap of 2 goes below minReplicas 3;
 * the side it leaves out stays the policy's as far as the other allows (a cap of 2 alone makes the floor 2).
 */
export interface EffectiveBounds {
  min: number;
  max: number;
  /** The active schedule with the highest floor, if any sets one. */
  floor?: ActiveSchedule;
  /** The active schedule with the lowest cap, if any sets one. */
  cap?: ActiveSchedule;
  /**
   * The values the decision pipeline moves from: the policy's bounds and the schedules' together. A value in
   * either is one Surge put there (a window opening or closing moves it across, through the pipeline and
   * maxStep), so only a value outside both is the out-of-bounds case that HPA answers with the bound itself.
   */
  tolerated: { min: number; max: number };
}

export function effectiveBounds(policy: ScalingPolicy, now: number): EffectiveBounds {
  const floor = scheduleFloor(policy.schedules, now);
  const cap = scheduleCap(policy.schedules, now);
  const capValue = cap?.schedule.max;
  const min = floor ? floor.schedule.min! : Math.min(policy.min, capValue ?? policy.min);
  // A floor above a cap (two schedules overlapping) wins: too much capacity costs money, too little an outage.
  const max = Math.max(capValue ?? policy.max, min);
  const tolerated = { min: Math.min(policy.min, min), max: Math.max(policy.max, max) };
  return { min, max, ...(floor ? { floor } : {}), ...(cap ? { cap } : {}), tolerated };
}

/** The schedules behind the bounds, for an explanation's detail; empty when the policy's own bounds hold. */
export function describeScheduleBounds(bounds: EffectiveBounds): string {
  const by = [
    bounds.floor && `floor ${bounds.floor.schedule.min} from schedule ${bounds.floor.schedule.name}`,
    bounds.cap && `cap ${bounds.cap.schedule.max} from schedule ${bounds.cap.schedule.name}`,
  ].filter(Boolean);
  return by.length ? `; in force [${bounds.min}, ${bounds.max}]: ${by.join(', ')}` : '';
}
