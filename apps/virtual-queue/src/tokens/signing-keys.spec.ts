import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadKeyEncryptionKey, seal, unseal } from './key-sealing';
import { newKeys, readStoredKeys, rotated, STORED_KEYS_SCHEMA_VERSION } from './keyring';

const legacy = { privateJwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' }, ticketSecret: 'secret' };
const kek = randomBytes(32);

const secretFile = (content: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vq-kek-')), 'kek');
  writeFileSync(file, content);
  return file;
};

describe('the signing keys as stored in Redis', () => {
  it('reads this version, and the plain keys of version 1 only to seal them', async () => {
    const current = await newKeys(kek, 0);
    expect(readStoredKeys(JSON.stringify(current))).toMatchObject({ kind: 'current' });
    expect(readStoredKeys(JSON.stringify(legacy))).toMatchObject({ kind: 'legacy', keys: legacy });
    expect(readStoredKeys(JSON.stringify({ schemaVersion: 1, ...legacy }))).toMatchObject({ kind: 'legacy' });
  });

  it('refuses keys of another version, rather than sign with a misread key', () => {
    expect(() => readStoredKeys(JSON.stringify({ ...legacy, schemaVersion: 3 }))).toThrow(/schemaVersion 3/);
    expect(() => readStoredKeys(JSON.stringify({ privateJwk: legacy.privateJwk }))).toThrow(/schemaVersion 1/);
    expect(() => readStoredKeys(JSON.stringify({ schemaVersion: STORED_KEYS_SCHEMA_VERSION, keys: [] }))).toThrow();
    expect(() => readStoredKeys('null')).toThrow(/signing keys in Redis/);
  });

  it('holds no private key material in the clear', async () => {
    const stored = JSON.stringify(await rotated(await newKeys(kek, 0), kek, 1));
    const keys = (JSON.parse(stored) as { keys: { publicJwk: object }[] }).keys;
    expect(keys).toHaveLength(2);
    expect(stored).not.toMatch(/"d"\s*:|PRIVATE KEY/);
  });

  it('keeps the current key and the previous one, newest first', async () => {
    const first = await newKeys(kek, 0);
    const second = await rotated(first, kek, 1);
    const third = await rotated(second, kek, 2);
    expect(third.keys.map((k) => k.kid)).toEqual([third.keys[0]!.kid, second.keys[0]!.kid]);
    expect(third.keys.map((k) => k.kid)).not.toContain(first.keys[0]!.kid);
  });
});

describe('sealing with the key-encryption key', () => {
  it('opens with the same key and kid only', () => {
    const sealed = seal(kek, 'private', 'kid-1');
    expect(unseal(kek, sealed, 'kid-1')).toBe('private');
    expect(() => unseal(randomBytes(32), sealed, 'kid-1')).toThrow();
    expect(() => unseal(kek, sealed, 'kid-2')).toThrow();
  });

  it('refuses a missing, short or placeholder secret file at boot', () => {
    expect(() => loadKeyEncryptionKey('/nonexistent/kek')).toThrow(/VQ_KEY_ENCRYPTION_KEY_FILE/);
    expect(() => loadKeyEncryptionKey(secretFile('changeme'))).toThrow(/placeholder/);
    expect(() => loadKeyEncryptionKey(secretFile('short-but-real-7a1c'))).toThrow(/at least 32/);
    expect(loadKeyEncryptionKey(secretFile(randomBytes(32).toString('hex')))).toHaveLength(32);
  });
});
