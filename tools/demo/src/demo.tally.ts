import { percentile } from './percentile';

export type Outcome = 'reserved' | 'sold-out' | 'not-admitted' | 'gave-up' | 'failed' | 'capped';

/** Counters of one run, and the line printed every few seconds. */
export class DemoTally {
  browse = { ok: 0, failed: 0, shed: 0 };
  buyers = { joined: 0, waiting: 0, admitted: 0, turnedAway: 0 };
  outcomes: Record<Outcome, number> = {
    reserved: 0,
    'sold-out': 0,
    'not-admitted': 0,
    'gave-up': 0,
    failed: 0,
    capped: 0,
  };
  private shopMs: number[] = [];
  private waitMs: number[] = [];
  private lastErrors: string[] = [];

  shopLatency(ms: number): void {
    this.shopMs.push(ms);
  }

  admittedAfter(ms: number): void {
    this.buyers.admitted += 1;
    this.waitMs.push(ms);
  }

  error(message: string): void {
    this.lastErrors.push(message);
    if (this.lastErrors.length > 3) this.lastErrors.shift();
  }

  /** One line; the shop's p95 is over the requests since the previous line, as a buyer would feel it right now. */
  line(
    elapsedMs: number,
    phase: string,
    rates: { browse: number; buyers: number },
    inFlight: number,
    requests: number,
  ): string {
    const p95 = Math.round(percentile(this.shopMs, 0.95));
    this.shopMs = [];
    const wait = Math.round(percentile(this.waitMs, 0.5) / 100) / 10;
    const o = this.outcomes;
    const secs = String(Math.round(elapsedMs / 1000)).padStart(4);
    const errors = this.lastErrors.length ? `  last error: ${this.lastErrors[this.lastErrors.length - 1]}` : '';
    this.lastErrors = [];
    return (
      `[${secs}s] ${phase.padEnd(6)} ${rates.browse.toFixed(0).padStart(3)} views/s ${rates.buyers.toFixed(1).padStart(4)} buyers/s | ` +
      `room: joined ${this.buyers.joined} waiting ${this.buyers.waiting} admitted ${this.buyers.admitted} (median wait ${wait}s) | ` +
      `reserved ${o.reserved} sold-out ${o['sold-out']} failed ${o.failed + this.browse.failed} shed ${this.browse.shed} | ` +
      `shop p95 ${p95} ms, ${inFlight} in flight, ${requests} requests${errors}`
    );
  }
}
