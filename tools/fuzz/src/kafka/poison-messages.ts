/** One hostile Kafka record: what it is (for the report) and its key and value bytes (null value: a tombstone). */
export interface PoisonMessage {
  kind: string;
  key: string | null;
  value: Buffer | null;
}

const text = (s: string) => Buffer.from(s, 'utf8');

/**
 * The poison every consumer must park on the dead-letter topic: bytes that are not JSON, not UTF-8, JSON of the
 * wrong shape, values at the edge of the broker's message size, nesting deep enough to hurt a recursive reader,
 * numbers JSON has no word for, missing keys, an empty value and a tombstone. `valid` is the topic's own message,
 * so that the wrong-shape variants differ from it by one thing.
 */
export function poisonMessages(valid: Record<string, unknown>, count = 50): PoisonMessage[] {
  const fields = Object.keys(valid);
  const base: PoisonMessage[] = [
    { kind: 'tombstone', key: 'poison', value: null },
    { kind: 'empty value', key: 'poison', value: Buffer.alloc(0) },
    { kind: 'invalid JSON', key: 'poison', value: text('{"schemaVersion": 1,') },
    { kind: 'invalid JSON', key: 'poison', value: text('not json at all') },
    { kind: 'bad UTF-8', key: 'poison', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
    {
      kind: 'bad UTF-8',
      key: 'poison',
      value: Buffer.concat([text('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), text('"}')]),
    },
    { kind: 'NUL bytes', key: 'poison', value: Buffer.from([0, 0, 0, 0]) },
    { kind: 'NaN-like number', key: 'poison', value: text(JSON.stringify(valid).replace(/:(\d+)/, ':NaN')) },
    { kind: 'NaN-like number', key: 'poison', value: text(JSON.stringify(valid).replace(/:(\d+)/, ':Infinity')) },
    {
      kind: 'NaN-like number',
      key: 'poison',
      value: text(JSON.stringify({ ...valid, schemaVersion: 1e999 }).replace('null', '1e999')),
    },
    { kind: 'wrong schema', key: 'poison', value: text('[]') },
    { kind: 'wrong schema', key: 'poison', value: text('null') },
    { kind: 'wrong schema', key: 'poison', value: text('"a string"') },
    { kind: 'wrong schema', key: 'poison', value: text('42') },
    { kind: 'wrong schema', key: 'poison', value: text(JSON.stringify({ ...valid, schemaVersion: 999 })) },
    {
      kind: 'huge value',
      key: 'poison',
      value: text(JSON.stringify({ ...valid, [fields[1] ?? 'x']: 'x'.repeat(700_000) })),
    },
    {
      kind: 'huge value',
      key: 'poison',
      value: text(JSON.stringify({ ...valid, extra: Array.from({ length: 50_000 }, (_, i) => i) })),
    },
    { kind: 'deep value', key: 'poison', value: text(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) },
    { kind: 'deep value', key: 'poison', value: text(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`) },
    {
      kind: 'proto pollution',
      key: 'poison',
      value: text(
        `{"__proto__":{"polluted":true},${JSON.stringify(valid)
          .slice(1, -1)
          .replace(/"schemaVersion":\d+,?/, '')}}`,
      ),
    },
  ];
  const out = [...base];
  // The rest: the valid message with one key missing, or one value of the wrong type, field by field.
  const wrongValues: unknown[] = [null, 'text', -1, 1e308, [], {}, true, ''];
  for (let i = 0; out.length < count; i += 1) {
    const field = fields[i % fields.length]!;
    const round = Math.floor(i / fields.length);
    if (round === 0) {
      const { [field]: _dropped, ...rest } = valid;
      out.push({ kind: 'missing key', key: 'poison', value: text(JSON.stringify(rest)) });
    } else {
      const wrong = wrongValues[(round - 1) % wrongValues.length];
      if (JSON.stringify(wrong) === JSON.stringify(valid[field])) continue;
      out.push({ kind: 'wrong schema', key: 'poison', value: text(JSON.stringify({ ...valid, [field]: wrong })) });
    }
  }
  return out.slice(0, count);
}
