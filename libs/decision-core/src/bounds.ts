/** Value-typed settings move in steps (64 MiB of maxmemory, say); replicas have a step of 1. */
export function roundUpToStep(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

export function roundDownToStep(value: number, step: number): number {
  return Math.floor(value / step) * step;
}

/** The optional guardrail on one decision's size, applied before min/max. */
export function applyMaxStep(current: number, desired: number, maxStep: number | undefined): number {
  if (maxStep === undefined) return desired;
  return Math.min(current + maxStep, Math.max(current - maxStep, desired));
}

/** min/max always hold, and are applied last. */
export function clampToBounds(desired: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, desired));
}
