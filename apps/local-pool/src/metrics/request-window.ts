export interface WindowFigures {
  requestsPerSecond: number;
  p95Ms: number;
  errorRate: number;
}

interface Bucket {
  count: number;
  errors: number;
  durations: number[];
}

/** Enough for a stable p95 per second without letting a flood grow memory without bound. */
const MAX_DURATIONS_PER_BUCKET = 5000;

const emptyBucket = (): Bucket => ({ count: 0, errors: 0, durations: [] });

/**
 * Request rate, p95 latency and error rate over the last `windowSeconds` one-second buckets. A window of a few
 * seconds, not one, because a 1 s p95 of a quiet shop jumps with every slow request and would make policies flap.
 */
export class RequestWindow {
  private buckets: Bucket[] = [emptyBucket()];

  constructor(private readonly windowSeconds: number) {
    if (windowSeconds < 1) throw new Error('windowSeconds must be at least 1');
  }

  record(durationMs: number, isError: boolean): void {
    const bucket = this.buckets[this.buckets.length - 1]!;
    bucket.count += 1;
    if (isError) bucket.errors += 1;
    if (bucket.durations.length < MAX_DURATIONS_PER_BUCKET) bucket.durations.push(durationMs);
    else bucket.durations[Math.floor(Math.random() * MAX_DURATIONS_PER_BUCKET)] = durationMs;
  }

  /** Closes the current second and returns the figures of the window that ends with it. */
  tick(): WindowFigures {
    const figures = this.figures();
    this.buckets.push(emptyBucket());
    if (this.buckets.length > this.windowSeconds) this.buckets.shift();
    return figures;
  }

  private figures(): WindowFigures {
    let count = 0;
    let errors = 0;
    const durations: number[] = [];
    for (const b of this.buckets) {
      count += b.count;
      errors += b.errors;
      durations.push(...b.durations);
    }
    return {
      requestsPerSecond: count / this.buckets.length,
      p95Ms: percentile(durations, 0.95),
      errorRate: count === 0 ? 0 : errors / count,
    };
  }
}

/** Nearest-rank percentile (the smallest value with at least p of the values at or below it); 0 when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}
