/**
 * The shape of a room's queue in Redis, as pure numbers. The Lua scripts implement the same arithmetic;
 * these functions document it and let unit tests pin it down.
 *
 * Tickets get consecutive sequence numbers. Ticket records live in hashes of TICKET_BUCKET_SIZE sequence numbers
 * each, which Redis keeps as compact listpacks (hash-max-listpack-entries defaults to 128).
 */
export const TICKET_BUCKET_SIZE = 128;
/** Visitor-to-sequence hashes: a prime count of buckets, so 10M visitors stay under 128 per bucket (Poisson tail). */
export const VISITOR_BUCKETS = 131_071;
/** Fenwick tree capacity in ticket buckets: 2^20 buckets of 128 = 134M tickets per room. */
export const FENWICK_SIZE = 1 << 20;

const HASH_MODULUS = 2_147_483_647;
const MIX = 48_271;

/**
 * A polynomial hash, chosen because Redis' Lua (doubles, 32-bit `bit` ops) computes exactly the same value:
 * every intermediate stays below 2^53. Bytes, not UTF-16 units, so both sides agree on non-ASCII. Ids over a
 * small alphabet make polynomial values lattice-shaped; two multiplicative (Park-Miller) steps scatter them.
 */
export function visitorBucket(visitorId: string): number {
  let hash = 0;
  for (const byte of Buffer.from(visitorId, 'utf8')) hash = (hash * 257 + byte) % HASH_MODULUS;
  hash = (hash * MIX) % HASH_MODULUS;
  hash = (hash * MIX) % HASH_MODULUS;
  return hash % VISITOR_BUCKETS;
}

/** Fenwick indices touched when one more visitor leaves ticket bucket `bucket`. */
export function fenwickUpdatePath(bucket: number, size = FENWICK_SIZE): number[] {
  const path: number[] = [];
  for (let i = bucket + 1; i <= size; i += i & -i) path.push(i);
  return path;
}

/** Fenwick indices summed for the leavers of buckets 0..bucket inclusive. */
export function fenwickQueryPath(bucket: number): number[] {
  const path: number[] = [];
  for (let i = bucket + 1; i > 0; i -= i & -i) path.push(i);
  return path;
}

/**
 * Waiting visitors strictly between the admitted head and `seq`: the partial head and own buckets are counted
 * exactly by the caller (they are scanned), and every full bucket in between holds 128 tickets minus its leavers.
 */
export function aheadOf(input: {
  headPartial: number;
  ownPartial: number;
  bucketsBetween: number;
  leftBetween: number;
}): number {
  return input.headPartial + input.ownPartial + input.bucketsBetween * TICKET_BUCKET_SIZE - input.leftBetween;
}

/** Ticket ids carry the visitor id, so a lookup needs no per-ticket index; the MAC makes them unguessable. */
export function encodeTicketId(visitorId: string, mac: string): string {
  return `${Buffer.from(visitorId, 'utf8').toString('base64url')}.${mac}`;
}

export function decodeTicketId(ticketId: string): { visitorId: string; mac: string } | null {
  const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{16,64})$/.exec(ticketId);
  if (!match) return null;
  return { visitorId: Buffer.from(match[1]!, 'base64url').toString('utf8'), mac: match[2]! };
}
