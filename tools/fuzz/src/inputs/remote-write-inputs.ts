import fc from 'fast-check';
import { compressSync } from 'snappy';

/**
 * Bad remote-write bodies: invalid protobuf inside valid snappy, valid protobuf with hostile values, truncated
 * snappy, and snappy "bombs" whose header declares a decoded size far above what the body could hold.
 */
function varint(value: number | bigint): Buffer {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

const field = (tag: number, wire: number, payload: Buffer): Buffer =>
  wire === 2
    ? Buffer.concat([varint((tag << 3) | wire), varint(payload.length), payload])
    : Buffer.concat([varint((tag << 3) | wire), payload]);

const double = (value: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return b;
};

const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 500, maxLength: 20_000 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
);
const label = fc
  .tuple(fc.oneof(fc.constantFrom('__name__', 'surge_target', 'namespace', 'deployment'), hostileString), hostileString)
  .map(([name, value]) =>
    field(1, 2, Buffer.concat([field(1, 2, Buffer.from(name)), field(2, 2, Buffer.from(value))])),
  );
const sample = fc
  .tuple(
    fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0)),
    fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constant(BigInt(Date.now()))),
  )
  .map(([value, ts]) => field(2, 2, Buffer.concat([field(1, 1, double(value)), field(2, 0, varint(ts))])));
const series = fc
  .tuple(fc.array(label, { maxLength: 40 }), fc.array(sample, { maxLength: 20 }))
  .map(([labels, samples]) => field(1, 2, Buffer.concat([...labels, ...samples])));

/** A WriteRequest the schema accepts byte-wise but whose contents are hostile. */
const hostileWriteRequest = fc.array(series, { maxLength: 30 }).map((s) => Buffer.concat(s));

/** Bytes that are not a WriteRequest: bad wire types, lengths past the end, unknown groups. */
const invalidProtobuf = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
  fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 64 }))
    .map(([tag, wire, payload]) => Buffer.concat([varint((tag << 3) | wire), Buffer.from(payload)])),
  fc.nat().map((length) => Buffer.concat([varint((1 << 3) | 2), varint(length + 1000), Buffer.from('short')])),
);

const snappyBlock = (payload: Buffer): Buffer => compressSync(payload) as Buffer;

/** A snappy header declaring `declared` decoded bytes, followed by too little (or repetitive) data. */
const bomb = fc
  .tuple(fc.integer({ min: 1 << 20, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }))
  .map(([declared, tail]) => Buffer.concat([varint(declared), Buffer.from(tail)]));

/** Real, highly compressible bodies: a few KB that decode to megabytes (built once, they cost seconds each). */
let expandingBodies: Buffer[] | undefined;
const expanding = fc.integer({ min: 0, max: 2 }).map((i) => {
  expandingBodies ??= [1, 4, 16].map((mb) => snappyBlock(field(1, 2, Buffer.alloc(mb * 1024 * 1024, 0))));
  return expandingBodies[i]!;
});

export const badRemoteWriteBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: hostileWriteRequest.map(snappyBlock) },
  { weight: 3, arbitrary: invalidProtobuf.map(snappyBlock) },
  {
    weight: 2,
    arbitrary: fc.tuple(hostileWriteRequest, fc.nat()).map(([body, cut]) => {
      const block = snappyBlock(body);
      return block.subarray(0, cut % Math.max(1, block.length));
    }),
  },
  { weight: 2, arbitrary: bomb },
  { weight: 1, arbitrary: invalidProtobuf },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 1, arbitrary: expanding },
);
