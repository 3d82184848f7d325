import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { seal, type Sealed } from './key-sealing';

/** Version of the keys' JSON in Redis. Version 1 (or none) held the private key in plain text. */
export const STORED_KEYS_SCHEMA_VERSION = 2;
const TICKET_SECRET_AAD = 'ticket-secret';

export interface StoredKey {
  kid: string;
  createdAtMs: number;
  publicJwk: JWK;
  /** The private JWK's JSON, sealed with the key-encryption key and the kid as associated data. */
  privateJwk: Sealed;
}

/** Newest key first; at most two, so the JWKS serves the current key and the one before it. */
export interface StoredKeys {
  schemaVersion: typeof STORED_KEYS_SCHEMA_VERSION;
  ticketSecret: Sealed;
  keys: StoredKey[];
}

/** What version 1 stored: the private key and the ticket secret in plain text. */
export interface LegacyKeys {
  privateJwk: JWK;
  ticketSecret: string;
}

export type ReadKeys = { kind: 'current'; keys: StoredKeys } | { kind: 'legacy'; keys: LegacyKeys };

/**
 * The keys as stored. Version 1 is read only to be sealed and replaced; another version is refused: an instance
 * signing with keys of its own would hand out tokens the other instances refuse, so it does not start.
 */
export function readStoredKeys(raw: string): ReadKeys {
  const parsed = JSON.parse(raw) as unknown;
  const stored = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const version = stored['schemaVersion'] ?? 1;
  if (version === 1 && typeof stored['ticketSecret'] === 'string' && stored['privateJwk'])
    return { kind: 'legacy', keys: stored as unknown as LegacyKeys };
  if (version === STORED_KEYS_SCHEMA_VERSION && Array.isArray(stored['keys']) && stored['keys'].length > 0)
    return { kind: 'current', keys: stored as unknown as StoredKeys };
  throw new Error(
    `the waiting room's signing keys in Redis are of schemaVersion ${JSON.stringify(version)}; ` +
      `this release reads ${STORED_KEYS_SCHEMA_VERSION}`,
  );
}

export const sealTicketSecret = (kek: Buffer, secret: string): Sealed => seal(kek, secret, TICKET_SECRET_AAD);
export const ticketSecretAad = TICKET_SECRET_AAD;

export async function sealedKey(kek: Buffer, privateJwk: JWK, nowMs: number): Promise<StoredKey> {
  const { d: _private, ...publicJwk } = privateJwk;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, createdAtMs: nowMs, publicJwk, privateJwk: seal(kek, JSON.stringify(privateJwk), kid) };
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return exportJWK(privateKey);
}

export async function newKeys(kek: Buffer, nowMs: number): Promise<StoredKeys> {
  return {
    schemaVersion: STORED_KEYS_SCHEMA_VERSION,
    ticketSecret: sealTicketSecret(kek, randomBytes(32).toString('base64url')),
    keys: [await sealedKey(kek, await newPrivateJwk(), nowMs)],
  };
}

/** A new current key; the current one becomes the previous, and the one before drops out of the JWKS. */
export async function rotated(stored: StoredKeys, kek: Buffer, nowMs: number): Promise<StoredKeys> {
  return { ...stored, keys: [await sealedKey(kek, await newPrivateJwk(), nowMs), stored.keys[0]!] };
}

/** Version 1's plain keys, sealed: tokens and ticket ids already handed out stay valid across the upgrade. */
export async function sealedLegacy(legacy: LegacyKeys, kek: Buffer, nowMs: number): Promise<StoredKeys> {
  return {
    schemaVersion: STORED_KEYS_SCHEMA_VERSION,
    ticketSecret: sealTicketSecret(kek, legacy.ticketSecret),
    keys: [await sealedKey(kek, legacy.privateJwk, nowMs)],
  };
}
