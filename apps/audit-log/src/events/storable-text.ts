/**
 * PostgreSQL cannot store every JavaScript string: `text` refuses U+0000 (SQLSTATE 22021), `jsonb` refuses the
 * `\u0000` escape (22P05) and a lone surrogate's escape (22P02), both of which JSON.stringify writes. A record holding
 * one was a bad row to the audit consumer, and on the dead-letter topic it was then logged and lost, since a dead
 * letter is never parked again. So each NUL is stored as the six characters `\u0000` and each lone surrogate as
 * U+FFFD, in strings and keys alike: the row is kept, readable and findable, and the exact bytes are still in Kafka
 * (a dead letter carries them in `valueBase64`).
 */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\\u0000');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Whether a record's text can parse to strings PostgreSQL cannot store: only a raw NUL, a `\u0000` escape or a
 * surrogate's escape give one (UTF-8 decoding never yields a lone surrogate). Most records have none, and skip the walk.
 */
export function mayNeedEscaping(recordText: string): boolean {
  return /\u0000|\\u0000|\\u[dD][89a-fA-F]/.test(recordText);
}

/** `value` with every string and key made storable. The mapper bounds the nesting (64 levels): recursion is safe. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(storableJson);
  // fromEntries defines own properties, so a `__proto__` key stays a key instead of becoming the prototype.
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableText(key), storableJson(child)]));
}
