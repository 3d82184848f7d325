export type GateRefusal = 'busy' | 'budget-spent' | 'stopped';

/**
 * Bounds the generator: at most `maxConcurrency` HTTP requests at once and `maxRequests` in all. Open-loop
 * arrivals that find the gate full are shed (counted, not queued), so a slow system never builds a backlog here
 * that would keep hammering it after the sale ends.
 */
export class RequestGate {
  private inflight = 0;
  private issued = 0;
  private peakInflight = 0;
  private stopped = false;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly maxConcurrency: number,
    private readonly maxRequests: number,
  ) {}

  get inFlight(): number {
    return this.inflight;
  }

  /** Most requests ever in flight together: the proof the bound held. */
  get peak(): number {
    return this.peakInflight;
  }

  get total(): number {
    return this.issued;
  }

  /** For requests that may be dropped (a page view): no slot, no request. */
  tryEnter(): GateRefusal | null {
    if (this.stopped) return 'stopped';
    if (this.issued >= this.maxRequests) return 'budget-spent';
    if (this.inflight >= this.maxConcurrency) return 'busy';
    this.inflight += 1;
    this.issued += 1;
    this.peakInflight = Math.max(this.peakInflight, this.inflight);
    return null;
  }

  /** For a step of a journey already under way (a poll, a purchase): waits for a slot, still within the budget. */
  async enter(): Promise<GateRefusal | null> {
    for (;;) {
      const refusal = this.tryEnter();
      if (refusal !== 'busy') return refusal;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  leave(): void {
    this.inflight -= 1;
    this.waiters.shift()?.();
  }

  /** Refuses every further request and wakes the waiters so their journeys end. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
