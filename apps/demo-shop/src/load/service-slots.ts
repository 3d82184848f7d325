/**
 * The demo shop's capacity model: one copy serves at most `slots` requests at a time, each for its service time,
 * and queues the rest in arrival order. Capacity per copy is slots / service time, so a load above it makes the
 * queue, and the p95 the proxy measures, grow, and more copies (or cheaper requests) bring it back down.
 * The service time is waited, not burned: the model must not load the machine that runs the demo.
 */
export class ServiceSlots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {}

  /** Holds one slot for `ms`; with no slots configured (0) the shop is not modelled and answers at once. */
  async serve(ms: number): Promise<void> {
    if (this.slots === 0 || ms === 0) return;
    if (this.busy >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      // The slot passes straight to the next in line, so a late arrival can never overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy -= 1;
    }
  }

  queued(): number {
    return this.waiting.length;
  }
}
