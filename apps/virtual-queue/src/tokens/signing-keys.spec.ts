import { describe, expect, it } from 'vitest';
import { readStoredKeys, STORED_KEYS_SCHEMA_VERSION } from './signing-keys.service';

const keys = { privateJwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' }, ticketSecret: 'secret' };

describe('the signing keys as stored in Redis', () => {
  it('reads this version, and keys stored before keys carried a version', () => {
    const current = JSON.stringify({ schemaVersion: STORED_KEYS_SCHEMA_VERSION, ...keys });
    expect(readStoredKeys(current).ticketSecret).toBe('secret');
    expect(readStoredKeys(JSON.stringify(keys)).privateJwk).toEqual(keys.privateJwk);
  });

  it('refuses keys of another version, rather than sign with a misread key', () => {
    expect(() => readStoredKeys(JSON.stringify({ ...keys, schemaVersion: 2 }))).toThrow(/schemaVersion 2/);
    expect(() => readStoredKeys(JSON.stringify({ privateJwk: keys.privateJwk }))).toThrow(/schemaVersion 1/);
    expect(() => readStoredKeys('null')).toThrow(/signing keys in Redis/);
  });
});
