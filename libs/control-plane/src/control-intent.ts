import type { ControlEvent } from '@surge/contracts';

/** What an operator asked of one scope. An absent field means no wish expressed: the boot setting or the policy file rules. */
export interface ScopeIntent {
  readonly paused?: boolean;
  readonly dryRun?: boolean;
  /** When each wish was expressed (the event's `time`): an older event of the same wish never replaces it. */
  readonly pausedAt?: number;
  readonly dryRunAt?: number;
  /** A pause's expiry (epoch ms), kept as published: whether it has passed depends on the reader's clock. */
  readonly pausedUntil?: number;
}

/** The operator's intent in force: the latest pause/resume and dry-run on/off of each scope on the control topic. */
export interface ControlIntent {
  readonly global: ScopeIntent;
  readonly policies: Readonly<Record<string, ScopeIntent>>;
}

export type ControlIntentEvent = Pick<ControlEvent, 'type' | 'policy' | 'time'> & { until?: number | undefined };

export const NO_INTENT: ControlIntent = Object.freeze({ global: Object.freeze({}), policies: Object.freeze({}) });

function wishOf(event: ControlIntentEvent, known: ScopeIntent): ScopeIntent | null {
  switch (event.type) {
    case 'pause':
    case 'resume':
      if (known.pausedAt !== undefined && known.pausedAt > event.time) return null;
      // A resume clears the expiry of the pause it ends.
      return {
        paused: event.type === 'pause',
        pausedAt: event.time,
        pausedUntil: event.type === 'pause' ? event.until : undefined,
      };
    case 'dry-run-on':
    case 'dry-run-off':
      if (known.dryRunAt !== undefined && known.dryRunAt > event.time) return null;
      return { dryRun: event.type === 'dry-run-on', dryRunAt: event.time };
    default:
      // A policy file's status is a fact about the file, not an operator's wish.
      return null;
  }
}

/**
 * Folds one control event into the intent. The latest event of a scope wins, by the time it was published, not
 * by the order it is read in: the topic's partitions are replayed concurrently, and a v1 event of an older
 * release (keyed by policy or `global`) sits on another partition than the v2 event of the same scope (keyed by
 * scope), so arrival order says nothing about which came last. Latest-per-scope is also what compaction keeps,
 * so replaying the compacted topic and replaying every event give the same intent.
 * Returns the same object when the event sets no intent.
 */
export function reduceControl(intent: ControlIntent, event: ControlIntentEvent): ControlIntent {
  const known = event.policy ? (intent.policies[event.policy] ?? {}) : intent.global;
  const wish = wishOf(event, known);
  if (!wish) return intent;
  if (!event.policy) return { ...intent, global: { ...intent.global, ...wish } };
  const policies = { ...intent.policies, [event.policy]: { ...intent.policies[event.policy], ...wish } };
  return { ...intent, policies };
}

export function replayControl(events: Iterable<ControlIntentEvent>, from: ControlIntent = NO_INTENT): ControlIntent {
  let intent = from;
  for (const event of events) intent = reduceControl(intent, event);
  return intent;
}

/**
 * A scope's intent as it stands at `now`: a pause whose expiry has passed reads as a resume at its expiry. The
 * clock is an argument, so the intent itself never changes with time and every reader decides with its own.
 */
export function scopeIntentAt(scope: ScopeIntent, now: number): ScopeIntent {
  if (!isExpired(scope, now)) return scope;
  return { ...scope, paused: false, pausedAt: scope.pausedUntil, pausedUntil: undefined };
}

/** A pause whose expiry has passed: it no longer holds, whether or not its resume has been published yet. */
export function isExpired(scope: ScopeIntent, now: number): boolean {
  return scope.paused === true && scope.pausedUntil !== undefined && scope.pausedUntil <= now;
}

export function globalIntent(intent: ControlIntent, now: number): ScopeIntent {
  return scopeIntentAt(intent.global, now);
}

export function policyIntent(intent: ControlIntent, policy: string, now: number): ScopeIntent {
  return scopeIntentAt(intent.policies[policy] ?? {}, now);
}

/** Every pause that carries an expiry, expired or not: what a reader sets its timers from. */
export function expiringPauses(intent: ControlIntent): { policy?: string; pausedAt: number; until: number }[] {
  const scopes: [string | undefined, ScopeIntent][] = [[undefined, intent.global], ...Object.entries(intent.policies)];
  return scopes.flatMap(([policy, scope]) =>
    scope.paused === true && scope.pausedUntil !== undefined
      ? [{ ...(policy ? { policy } : {}), pausedAt: scope.pausedAt ?? 0, until: scope.pausedUntil }]
      : [],
  );
}
