/** Hard bounds of one setting of one target, from the targets file. Both ends inclusive. */
export interface Bounds {
  min: number;
  max: number;
}

export type BoundsMode = 'clamp' | 'reject';

export type BoundsOutcome = { ok: true; value: number; clampedFrom: number | null } | { ok: false; reason: string };

/**
 * Holds a requested value inside the target's hard bounds. Values are absolute and whole (replicas, pool sizes,
 * bytes), so a fractional request is rounded first; a non-finite one can never be made safe and is refused.
 */
export function applyBounds(requested: number, bounds: Bounds, mode: BoundsMode): BoundsOutcome {
  if (!Number.isFinite(requested)) return { ok: false, reason: `value ${requested} is not a finite number` };
  const rounded = Math.round(requested);
  if (rounded >= bounds.min && rounded <= bounds.max) {
    return { ok: true, value: rounded, clampedFrom: rounded === requested ? null : requested };
  }
  if (mode === 'reject') {
    return { ok: false, reason: `value ${requested} is outside the hard bounds [${bounds.min}, ${bounds.max}]` };
  }
  const value = Math.min(bounds.max, Math.max(bounds.min, rounded));
  return { ok: true, value, clampedFrom: requested };
}
