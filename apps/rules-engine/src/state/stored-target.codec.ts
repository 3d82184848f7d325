import type { AlertEvent, ScaleDecision, ScaleExplanation } from '@surge/contracts';
import type { TargetState } from '@surge/decision-core';

/** One event saved with the state that produced it, until it is confirmed published on its topic. */
export type OutboxEntry =
  | { kind: 'decision'; event: ScaleDecision }
  | { kind: 'alert'; event: AlertEvent }
  | { kind: 'explanation'; event: ScaleExplanation };

const OUTBOX_KINDS: ReadonlySet<unknown> = new Set<OutboxEntry['kind']>(['decision', 'alert', 'explanation']);

/** What the engine keeps per target: the core's state plus events saved but not yet confirmed published. */
export interface StoredTarget {
  state: TargetState;
  outbox: OutboxEntry[];
  /** Newest sample time handled per source target and metric: a redelivered sample is recognised and skipped. */
  watermarks?: Watermarks;
  /** The fence this value was loaded at (the target's write counter), held in memory only: see FENCED_WRITE_LUA. */
  fence?: number;
}

/** source target → metric → the newest timestamp handled; only metrics the policy reads are kept. */
export type Watermarks = Record<string, Record<string, number>>;

/**
 * Version of the JSON kept in Redis. Bump it whenever that shape changes, and teach `decodeStoredTarget` to
 * migrate the previous one, so instances of two releases can share the store during a rolling upgrade.
 */
export const STORED_TARGET_SCHEMA_VERSION = 3;

export type DecodedTarget = { stored: StoredTarget; rebuilt?: undefined } | { stored?: undefined; rebuilt: string };

export function encodeStoredTarget(stored: StoredTarget): string {
  return JSON.stringify({
    schemaVersion: STORED_TARGET_SCHEMA_VERSION,
    state: stored.state,
    outbox: stored.outbox,
    watermarks: stored.watermarks,
  });
}

/**
 * Reads a stored value of this version and migrates the older ones: unversioned (version 1's fields), 1 (one
 * watermark per source) and 2 (an outbox of decisions only, each becoming a decision entry). Refuses anything else (a newer release's shape, or a value that is not ours) with the
 * reason: the caller starts that target afresh rather than misreading it.
 */
export function decodeStoredTarget(raw: string): DecodedTarget {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { rebuilt: 'the stored value is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { rebuilt: 'the stored value is not an object' };
  const record = value as Record<string, unknown>;
  const version = record['schemaVersion'];
  if (version !== undefined && version !== 1 && version !== 2 && version !== STORED_TARGET_SCHEMA_VERSION)
    return {
      rebuilt: `stored schemaVersion ${JSON.stringify(version)}, this engine reads ${STORED_TARGET_SCHEMA_VERSION}`,
    };
  const { state, outbox, watermarks } = record;
  if (typeof state !== 'object' || state === null) return { rebuilt: 'the stored value has no state' };
  // An unversioned value has version 1's fields: migrating it is reading it, and the next save adds the version.
  if (outbox !== undefined && !Array.isArray(outbox)) return { rebuilt: 'the stored outbox is not a list' };
  const entries =
    version === STORED_TARGET_SCHEMA_VERSION
      ? ((outbox ?? []) as OutboxEntry[])
      : ((outbox ?? []) as ScaleDecision[]).map((event): OutboxEntry => ({ kind: 'decision', event }));
  if (entries.some((entry) => !OUTBOX_KINDS.has((entry as { kind?: unknown } | null)?.kind)))
    return { rebuilt: 'the stored outbox holds an entry of no known kind' };
  const targetState = state as TargetState;
  return {
    stored: {
      state: targetState,
      outbox: entries,
      watermarks:
        version === STORED_TARGET_SCHEMA_VERSION || version === 2
          ? (watermarks as Watermarks | undefined)
          : migrateWatermarks(targetState, watermarks as Record<string, number> | undefined),
    },
  };
}

/**
 * Version 1 kept one watermark per source, the newest timestamp of its last envelope. Version 2 keeps one per
 * source and metric. Each metric the state holds is marked at its sample's time, no later than the source's old
 * watermark: redeliveries of what was handled are still recognised, and a watermark a future stamp pushed
 * ahead is not carried over to freeze anything.
 */
function migrateWatermarks(state: TargetState, v1: Record<string, number> | undefined): Watermarks | undefined {
  if (v1 === undefined) return undefined;
  const migrated: Watermarks = {};
  for (const [source, latest] of Object.entries(v1)) {
    const marks: Record<string, number> = {};
    for (const [metric, observed] of Object.entries(state.samples ?? {}))
      marks[metric] = Math.min(latest, observed.time);
    migrated[source] = marks;
  }
  return migrated;
}
