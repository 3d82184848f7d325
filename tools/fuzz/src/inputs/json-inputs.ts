import fc from 'fast-check';

/**
 * Bad JSON bodies, as bytes: the parser and the validation pipes must answer each with a 4xx. The shapes mimic what
 * the endpoints expect (samples, room patches, tokens) so that many inputs get past parsing and reach validation.
 */
const numberText = fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '-0', '1e-999', '9007199254740993', '0x10');
const weirdValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ maxLength: 64 }),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.constant(''),
  fc.string({ minLength: 1000, maxLength: 70_000 }),
);

/** An object with the endpoint's field names, each holding a value of the wrong type or range. */
function shaped(fields: string[]): fc.Arbitrary<string> {
  return fc
    .dictionary(fc.constantFrom(...fields, '__proto__', 'constructor'), weirdValue, { maxKeys: fields.length + 2 })
    .map((object) => JSON.stringify(object));
}

/** Field values written as JSON text that JSON.parse turns into Infinity or loses precision on. */
function numbersAsText(fields: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...fields), numberText)
    .map(
      ([field, text]) =>
        `{"${field}":${text},"samples":[{"target":"a/b","metric":"m","value":${text},"timestamp":${text}}]}`,
    );
}

const deep = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth));

const hugeArray = fc
  .integer({ min: 1000, max: 50_000 })
  .map((n) => `{"samples":[${Array.from({ length: n }, () => '{}').join(',')}]}`);

const truncated = fc.tuple(fc.anything({ maxDepth: 4 }), fc.nat()).map(([value, cut]) => {
  const text = JSON.stringify({ samples: [value] }) ?? '{}';
  return text.slice(0, cut % Math.max(1, text.length));
});

/** Bytes that are not valid UTF-8 inside an otherwise well-formed JSON string. */
const badUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((bytes) =>
    Buffer.concat([
      Buffer.from('{"token":"'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from(bytes),
      Buffer.from('"}'),
    ]),
  );

const randomBytes = fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes));

/** Every kind of bad JSON body, weighted so that validation (not only the parser) is exercised. */
export function badJsonBody(fields: string[]): fc.Arbitrary<Buffer> {
  const texts = fc.oneof(
    { weight: 5, arbitrary: shaped(fields) },
    { weight: 2, arbitrary: numbersAsText(fields) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? 'undefined') },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify({ samples: v })) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: hugeArray },
    { weight: 2, arbitrary: truncated },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
  return fc.oneof(
    { weight: 12, arbitrary: texts.map((text) => Buffer.from(text)) },
    { weight: 1, arbitrary: badUtf8 },
    { weight: 1, arbitrary: randomBytes },
  );
}

/** Path segments and query values: empty, huge, encoded slashes, control characters, bad percent-escapes. */
export const badSegment: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ minLength: 300, maxLength: 5000 }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%C3%28', '%FF%FE', '..%2F..%2Fetc', '%00', '__proto__', 'constructor', '-1', '1e999'),
  fc.uint8Array({ maxLength: 30 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')),
);

export const badContentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-protobuf',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
);
