import type { MetricTarget } from '@surge/policy';
import type { TargetState, WindowPoint } from './state';

/**
 * Most points a window keeps. A 2-minute window at 15 s samples needs 9; the cap only binds for long windows
 * or chatty sources, and keeps the stored state of one target around 2 KB at worst.
 */
export const MAX_WINDOW_POINTS = 120;

/**
 * Folds the samples of the policy's `window` metrics into their windows, pruned to the window at `now`.
 * Returns undefined when the policy has none, so a policy without `window` stores nothing for it.
 */
export function observeWindows(
  previous: TargetState['metricWindows'],
  metrics: readonly MetricTarget[],
  samples: readonly { metric: string; value: number; timestamp: number }[],
  now: number,
): TargetState['metricWindows'] {
  let windows: Record<string, WindowPoint[]> | undefined;
  for (const metric of metrics) {
    if (metric.windowSeconds === undefined) continue;
    const points = [...(previous?.[metric.metric] ?? [])];
    for (const sample of samples) if (sample.metric === metric.metric) addPoint(points, sample.timestamp, sample.value);
    windows ??= {};
    windows[metric.metric] = capPoints(prunePoints(points, now - metric.windowSeconds * 1000));
  }
  return windows;
}

/** As observeSamples: a sample older than the newest point is late and dropped; one at the same time replaces it. */
function addPoint(points: WindowPoint[], time: number, value: number): void {
  const last = points[points.length - 1];
  if (last && last[0] > time) return;
  if (last && last[0] === time) points[points.length - 1] = [time, value];
  else points.push([time, value]);
}

/** Drops what the window no longer sees, keeping the newest point at or before its start: it covers the start. */
function prunePoints(points: WindowPoint[], start: number): WindowPoint[] {
  let first = 0;
  while (first + 1 < points.length && points[first + 1]![0] <= start) first++;
  return first === 0 ? points : points.slice(first);
}

/**
 * Over the cap, merges the two adjacent points spanning the least time into one holding their time-weighted
 * mean: the average over the window is unchanged, only its resolution drops where samples were densest. The
 * first point (it may straddle the window's start) and the last (its span ends at an unknown `now`) stay.
 */
function capPoints(points: WindowPoint[]): WindowPoint[] {
  while (points.length > MAX_WINDOW_POINTS) {
    let best = 1;
    for (let i = 2; i + 2 < points.length; i++)
      if (points[i + 2]![0] - points[i]![0] < points[best + 2]![0] - points[best]![0]) best = i;
    const [t0, v0] = points[best]!;
    const [t1, v1] = points[best + 1]!;
    const t2 = points[best + 2]![0];
    points.splice(best, 2, [t0, (v0 * (t1 - t0) + v1 * (t2 - t1)) / (t2 - t0)]);
  }
  return points;
}

/**
 * The time-weighted average of the metric over [now - window, now], each sample holding until the next one, as
 * the engine reads a metric between samples (the last sample is the value until a newer one comes). Time-weighted
 * rather than a plain mean of samples: sources report at uneven rates (a burst of samples during a spike must
 * not outweigh the quiet minute around it), and as the window shrinks the average becomes the last sample.
 * Before the first sample the window is not filled, so the average is over the part it covers.
 */
export function windowAverage(points: readonly WindowPoint[], now: number, windowSeconds: number): number | undefined {
  const start = now - windowSeconds * 1000;
  let weighted = 0;
  let covered = 0;
  let latest: number | undefined;
  for (let i = 0; i < points.length; i++) {
    const [time, value] = points[i]!;
    if (time > now) break;
    latest = value;
    const from = Math.max(time, start);
    const to = Math.min(points[i + 1]?.[0] ?? now, now);
    if (to > from) {
      weighted += value * (to - from);
      covered += to - from;
    }
  }
  // Every point at `now` (a first sample, say): it has held for no time yet, and it is all there is.
  return covered > 0 ? weighted / covered : latest;
}
