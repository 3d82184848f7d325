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

export function effectiveRate(input: Omit<EtaInput, 'ahead'>): number {
  const configured = Math.min(input.admitPerMinute / 60, slotLimitedRate(input.maxActive, input.sessionSeconds) || Infinity);
  if (input.observedPerSecond !== null && input.observedPerSecond > 0) return Math.min(configured, Math.max(input.observedPerSecond, configured / 4));
  return configured;
}

export function estimateWait(input: EtaInput): EtaRange | null {
  const rate = effectiveRate(input);
  if (!(rate > 0)) return null;
  const eta = Math.ceil(input.ahead / rate);
  // Leavers ahead shorten waits, so the low end is generous; the high end covers a rate one third lower.
  return { etaSeconds: eta, lowSeconds: Math.floor((input.ahead * 0.8) / rate), highSeconds: Math.ceil((input.ahead * 1.5) / rate) };
}

/** Smooths an admission-rate series so one idle admitter tick does not triple everyone's estimate. */
export function ewma(previous: number | null, sample: number, alpha = 0.3): number {
  return previous === null ? sample : previous + alpha * (sample - previous);
}
