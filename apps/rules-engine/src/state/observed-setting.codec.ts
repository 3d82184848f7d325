/**
 * A target's latest observed value of its policy's setting, as its executor reported it on the observed-state
 * topic. Kept in a key of its own, written only by the observed path, so it never races the evaluation's state.
 */
export interface ObservedSetting {
  kind: string;
  setting: string;
  value: number;
  observedAt: number;
}

/**
 * Version of the JSON kept in Redis. Bump it whenever that shape changes, and teach `decodeObservedSetting` to
 * migrate the previous one. The store script reads `setting` and `observedAt`, so those keep their names.
 */
export const OBSERVED_SETTING_SCHEMA_VERSION = 1;

export type DecodedObserved =
  { observed: ObservedSetting; rebuilt?: undefined } | { observed?: undefined; rebuilt: string };

export function encodeObservedSetting(observed: ObservedSetting): string {
  return JSON.stringify({ schemaVersion: OBSERVED_SETTING_SCHEMA_VERSION, ...observed });
}

/** Anything but this version's shape is refused with the reason: the target waits for its next observation. */
export function decodeObservedSetting(raw: string): DecodedObserved {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { rebuilt: 'the observed value is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { rebuilt: 'the observed value is not an object' };
  const { schemaVersion, kind, setting, value: observedValue, observedAt } = value as Record<string, unknown>;
  if (schemaVersion !== OBSERVED_SETTING_SCHEMA_VERSION)
    return {
      rebuilt: `observed schemaVersion ${JSON.stringify(schemaVersion)}, this engine reads ${OBSERVED_SETTING_SCHEMA_VERSION}`,
    };
  if (typeof kind !== 'string' || typeof setting !== 'string')
    return { rebuilt: 'the observed value names no kind or setting' };
  if (typeof observedValue !== 'number' || typeof observedAt !== 'number')
    return { rebuilt: 'the observed value has no value or time' };
  return { observed: { kind, setting, value: observedValue, observedAt } };
}
