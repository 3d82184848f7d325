export type PhaseName = 'quiet' | 'rush' | 'peak' | 'ended';

/** Rates move linearly from `from` to `to` across the phase, so a rush ramps up instead of stepping. */
export interface Phase {
  name: PhaseName;
  durationMs: number;
  browsePerSecond: { from: number; to: number };
  buyersPerSecond: { from: number; to: number };
}

export type Stream = 'browsePerSecond' | 'buyersPerSecond';

export interface ScheduleOptions {
  /** Stretches every phase: 1 plays the sale in 2.5 minutes, 10 in 25. Rates are not scaled. */
  scale: number;
  peakBrowsePerSecond: number;
  peakBuyersPerSecond: number;
}

/** Seconds of each phase at scale 1, chosen so the whole sale fits a 2-3 minute demo. */
export const BASE_SECONDS: Record<PhaseName, number> = { quiet: 30, rush: 15, peak: 60, ended: 45 };
const QUIET_BROWSE = 3;
const QUIET_BUYERS = 0.3;
const AFTER_SALE_BROWSE = 1;

export function flashSaleSchedule(options: ScheduleOptions): Phase[] {
  if (!(options.scale > 0)) throw new Error('scale must be greater than 0');
  const ms = (name: PhaseName) => Math.round(BASE_SECONDS[name] * 1000 * options.scale);
  const browse = options.peakBrowsePerSecond;
  const buyers = options.peakBuyersPerSecond;
  return [
    {
      name: 'quiet',
      durationMs: ms('quiet'),
      browsePerSecond: { from: QUIET_BROWSE, to: QUIET_BROWSE },
      buyersPerSecond: { from: QUIET_BUYERS, to: QUIET_BUYERS },
    },
    {
      name: 'rush',
      durationMs: ms('rush'),
      browsePerSecond: { from: QUIET_BROWSE, to: browse },
      buyersPerSecond: { from: QUIET_BUYERS, to: buyers },
    },
    {
      name: 'peak',
      durationMs: ms('peak'),
      browsePerSecond: { from: browse, to: browse },
      buyersPerSecond: { from: buyers, to: buyers },
    },
    {
      name: 'ended',
      durationMs: ms('ended'),
      browsePerSecond: { from: browse, to: AFTER_SALE_BROWSE },
      buyersPerSecond: { from: 0, to: 0 },
    },
  ];
}

export function totalDurationMs(schedule: Phase[]): number {
  return schedule.reduce((sum, p) => sum + p.durationMs, 0);
}

/** The phase in force `elapsedMs` into the sale and its rates at that instant; null once the sale is over. */
export function phaseAt(
  schedule: Phase[],
  elapsedMs: number,
): { phase: Phase; browsePerSecond: number; buyersPerSecond: number } | null {
  let start = 0;
  for (const phase of schedule) {
    if (elapsedMs < start + phase.durationMs) {
      const f = phase.durationMs === 0 ? 0 : (elapsedMs - start) / phase.durationMs;
      const lerp = (r: { from: number; to: number }) => r.from + (r.to - r.from) * f;
      return { phase, browsePerSecond: lerp(phase.browsePerSecond), buyersPerSecond: lerp(phase.buyersPerSecond) };
    }
    start += phase.durationMs;
  }
  return null;
}

/** Expected arrivals from the start to `elapsedMs`: the integral of the piecewise-linear rate. */
export function cumulativeArrivals(schedule: Phase[], stream: Stream, elapsedMs: number): number {
  let start = 0;
  let total = 0;
  for (const phase of schedule) {
    const within = Math.min(Math.max(elapsedMs - start, 0), phase.durationMs);
    if (within > 0) {
      const { from, to } = phase[stream];
      const rateAtEnd = from + (to - from) * (within / phase.durationMs);
      total += ((from + rateAtEnd) / 2) * (within / 1000);
    }
    start += phase.durationMs;
  }
  return total;
}

/**
 * Whole arrivals to start between two instants. Differences of floored integrals, so however the ticks fall the
 * counts add up to exactly floor(total): no arrival is lost or doubled by a late timer.
 */
export function arrivalsBetween(schedule: Phase[], stream: Stream, fromMs: number, toMs: number): number {
  return (
    Math.floor(cumulativeArrivals(schedule, stream, toMs)) - Math.floor(cumulativeArrivals(schedule, stream, fromMs))
  );
}
