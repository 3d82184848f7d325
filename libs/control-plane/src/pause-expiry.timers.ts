import { type ControlIntent, expiringPauses } from './control-intent';

export interface ExpiringPause {
  /** Absent for the global pause. */
  policy?: string;
  pausedAt: number;
  until: number;
}

// setTimeout holds at most 2^31-1 ms (about 24.8 days); a longer pause is waited for in steps.
const MAX_DELAY = 2 ** 31 - 1;

/**
 * One timer per pause that carries an expiry, kept in step with the intent by `sync`. Each pause (a scope with its
 * pause time and expiry) is reported expired once: the intent still holds it until its resume is read, and a
 * `sync` meanwhile must not report it again.
 */
export class PauseExpiryTimers {
  private readonly timers = new Map<string, { pause: ExpiringPause; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly onExpire: (pause: ExpiringPause) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  sync(intent: ControlIntent): void {
    const current = new Map(expiringPauses(intent).map((pause) => [keyOf(pause), pause]));
    for (const [key, entry] of this.timers)
      if (!current.has(key)) {
        if (entry.timer) clearTimeout(entry.timer);
        this.timers.delete(key);
      }
    for (const [key, pause] of current) if (!this.timers.has(key)) this.arm(key, pause);
  }

  stop(): void {
    for (const entry of this.timers.values()) if (entry.timer) clearTimeout(entry.timer);
    this.timers.clear();
  }

  private arm(key: string, pause: ExpiringPause): void {
    const delay = Math.min(MAX_DELAY, Math.max(0, pause.until - this.clock()));
    const timer = setTimeout(() => {
      const entry = this.timers.get(key);
      if (!entry) return;
      if (this.clock() < pause.until) return this.arm(key, pause);
      entry.timer = null;
      this.onExpire(pause);
    }, delay);
    // A pending expiry must not keep a stopping process alive.
    timer.unref();
    this.timers.set(key, { pause, timer });
  }
}

const keyOf = (pause: ExpiringPause) => `${pause.policy ?? ''}\u0000${pause.pausedAt}\u0000${pause.until}`;
