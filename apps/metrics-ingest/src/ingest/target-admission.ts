import type { IngestSource } from '../auth/ingest-credentials';

export type Admission =
  | { ok: true }
  | { ok: false; reason: 'forbidden_target'; targets: string[] }
  | { ok: false; reason: 'too_many_targets'; limit: number; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

/**
 * Which targets a source may write now: those its patterns allow, and no more distinct targets per minute than
 * the limit, so one source (or one stolen token) cannot fill the engine's state with made-up targets. The window
 * is a fixed minute per source; memory is bounded by sources × limit. Pure: the clock is passed in.
 */
export class TargetAdmission {
  private readonly windows = new Map<string, { start: number; targets: Set<string> }>();

  constructor(private readonly targetsPerMinute: number) {}

  admit(source: IngestSource, targets: readonly string[], now: number): Admission {
    const forbidden = targets.filter((target) => !source.mayWrite(target));
    if (forbidden.length > 0) return { ok: false, reason: 'forbidden_target', targets: forbidden };
    let window = this.windows.get(source.name);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, targets: new Set() };
      this.windows.set(source.name, window);
    }
    const seen = window.targets;
    const fresh = targets.filter((target) => !seen.has(target));
    if (seen.size + fresh.length > this.targetsPerMinute)
      return {
        ok: false,
        reason: 'too_many_targets',
        limit: this.targetsPerMinute,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)),
      };
    for (const target of fresh) seen.add(target);
    return { ok: true };
  }
}
