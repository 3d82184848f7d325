/**
 * A per-second rate limit that allows a burst of one second's worth: refilled continuously, so a limit changed
 * live takes effect on the next request without a window to wait out.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private limitPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limitPerSecond;
    this.last = now();
  }

  get limit(): number {
    return this.limitPerSecond;
  }

  /** A lower limit also caps the tokens saved up, so shedding starts at once. */
  setLimit(limitPerSecond: number): void {
    this.refill();
    this.limitPerSecond = limitPerSecond;
    this.tokens = Math.min(this.tokens, limitPerSecond);
  }

  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.limitPerSecond, this.tokens + ((now - this.last) / 1000) * this.limitPerSecond);
    this.last = now;
  }
}
