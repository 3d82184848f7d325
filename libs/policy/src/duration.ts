const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/;

/**
 * Parses `30s`, `5m`, `1h`, `1h30m` (or a bare number of seconds) into seconds.
 * Throws with a message fit for a validation error.
 */
export function parseDurationSeconds(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0)
      throw new Error(`duration must be a non-negative number of seconds, got ${input}`);
    return input;
  }
  const text = input.trim();
  if (!WHOLE.test(text)) throw new Error(`invalid duration "${input}": write it as 30s, 5m, 1h or 1h30m`);
  let seconds = 0;
  for (const match of text.matchAll(PART)) seconds += Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  return seconds;
}
