import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { signingKeyKey } from '../redis/room-keys';
import { STORED_KEYS_SCHEMA_VERSION } from '../tokens/keyring';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { startTestApp, type TestApp } from '../testing/test-app';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('signing keys of an older release, stored in plain text', () => {
  it('are sealed in place at start: the same keys keep working, nothing private stays readable in Redis', async () => {
    const prefix = `test:vq:${randomUUID()}:`;
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const legacy = { privateJwk: await exportJWK(privateKey), ticketSecret: randomBytes(32).toString('base64url') };
    await redis.set(signingKeyKey(prefix), JSON.stringify(legacy));
    try {
      const t = await startTestApp({ VQ_KEY_PREFIX: prefix });
      apps.push(t);
      const stored = (await redis.get(signingKeyKey(prefix)))!;
      expect(JSON.parse(stored)).toMatchObject({ schemaVersion: STORED_KEYS_SCHEMA_VERSION });
      expect(stored).not.toContain(legacy.privateJwk.d!);
      expect(stored).not.toContain(legacy.ticketSecret);
      // Same public key, so tokens signed before the upgrade still verify.
      expect(t.app.get(SigningKeysService).publicJwk.x).toBe(legacy.privateJwk.x);
    } finally {
      redis.disconnect();
    }
  });
});
