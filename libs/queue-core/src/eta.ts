/**
 * Wait estimates. Admission is limited by two things at once: the admission rate and the rate at which active
 * sessions free their slots. The estimate takes the slower of the configured and the observed rate, and gives a
 * range rather than a number because arrivals ahead can leave (good news) or capacity can drop (bad news).
 */
export interface EtaInput {
  ahead: number;
  admitPerMinute: number;
  /** Admissions per second measured by the admitter over recent intervals; null until known. */
  observedPerSecond: number | null;
  maxActive: number;
  sessionSeconds: number;
}

export interface EtaRange {
  etaSeconds: number;
  lowSeconds: number;
  highSeconds: number;
}

/** Steady-state throughput when every slot is busy: maxActive sessions of at most sessionSeconds each. */
export function slotLimitedRate(maxActive: number, sessionSeconds: number): number {
  return sessionSeconds > 0 ? maxActive / sessionSeconds : 0;
}

/**
 * Sessions may end early (a purchase completes), so slot turnover is a floor on throughput and the admission
 * rate its ceiling. Until the admitter has measured a rate, the estimate assumes the floor and the range's low
 * end the ceiling.
 */
export function rateBounds(input: Omit<EtaInput, 'ahead'>): { expected: number; optimistic: number } {
  const ceiling = input.admitPerMinute / 60;
  const floor = slotLimitedRate(input.maxActive, input.sessionSeconds);
  const observed = input.observedPerSecond !== null && input.observedPerSecond > 0 ? input.observedPerSecond : null;
  return {
    expected: Math.min(ceiling, Math.max(floor, observed ?? floor)),
    optimistic: Math.min(ceiling, Math.max(floor, observed ?? ceiling)),
  };
}

export function estimateWait(input: EtaInput): EtaRange | null {
  const { expected, optimistic } = rateBounds(input);
  if (!(expected > 0)) return null;
  const eta = Math.ceil(input.ahead / expected);
  // Leavers ahead shorten waits; a capacity cut lengthens them: the high end covers a rate one third lower.
  return {
    etaSeconds: eta,
    lowSeconds: Math.min(eta, Math.floor((input.ahead * 0.8) / optimistic)),
    highSeconds: Math.ceil((input.ahead * 1.5) / expected),
  };
}

/** Smooths an admission-rate series so one idle admitter tick does not triple everyone's estimate. */
export function ewma(previous: number | null, sample: number, alpha = 0.3): number {
  return previous === null ? sample : previous + alpha * (sample - previous);
}
