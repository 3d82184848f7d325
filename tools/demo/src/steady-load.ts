/**
 * Page views of the shop at a steady rate, open loop (a visitor does not wait for the one before), with a bound on
 * the requests in flight so a shop that stops answering cannot make the driver pile up sockets. The rate can be
 * changed while it runs: a surge is a higher rate, its end a lower one.
 */
export class SteadyLoad {
  private timer: NodeJS.Timeout | undefined;
  private inflight = 0;
  private due = 0;
  readonly statuses = new Map<number | 'error' | 'skipped', number>();

  constructor(
    private readonly pageUrl: string,
    private perSecond: number,
    private readonly maxInflight = 200,
  ) {}

  start(): this {
    // A 50 ms tick keeps the arrivals spread over each second rather than in one burst.
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.due += (this.perSecond * (now - last)) / 1000;
      last = now;
      for (; this.due >= 1; this.due -= 1) this.visit();
    }, 50);
    return this;
  }

  setRate(perSecond: number): void {
    this.perSecond = perSecond;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + 10_000;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private visit(): void {
    if (this.inflight >= this.maxInflight) return this.count('skipped');
    this.inflight += 1;
    fetch(this.pageUrl, { signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        await res.arrayBuffer();
        this.count(res.status);
      })
      .catch(() => this.count('error'))
      .finally(() => (this.inflight -= 1));
  }

  private count(outcome: number | 'error' | 'skipped'): void {
    this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1);
  }
}
