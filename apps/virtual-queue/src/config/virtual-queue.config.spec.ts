import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testSigningEnv } from '@surge/signing/testing';
import { trustProxyOf } from './edge-env';
import { loadVirtualQueueConfig } from './virtual-queue.config';

const kek = path.join(mkdtempSync(path.join(tmpdir(), 'vq-config-')), 'kek');
writeFileSync(kek, 'f'.repeat(16) + '0123456789abcdef0123456789');
const base = {
  ...testSigningEnv('executor'),
  SURGE_ADMIN_TOKEN: 'test-admin-token-0123456789',
  VQ_KEY_ENCRYPTION_KEY_FILE: kek,
};

describe('the queue configuration at the edge', () => {
  it('trusts no proxy by default, so the socket address is the client address', () => {
    expect(trustProxyOf(loadVirtualQueueConfig(base))).toBeUndefined();
  });

  it('trusts the proxies named, by CIDR or by hop count, and not both', () => {
    expect(trustProxyOf(loadVirtualQueueConfig({ ...base, SURGE_QUEUE_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }))).toBe(
      '10.0.0.0/8,::1',
    );
    expect(trustProxyOf(loadVirtualQueueConfig({ ...base, SURGE_QUEUE_TRUSTED_HOPS: '2' }))).toBe(2);
    expect(() => loadVirtualQueueConfig({ ...base, SURGE_QUEUE_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      /SURGE_QUEUE_TRUSTED_PROXIES/,
    );
    expect(() =>
      loadVirtualQueueConfig({ ...base, SURGE_QUEUE_TRUSTED_PROXIES: '10.0.0.1', SURGE_QUEUE_TRUSTED_HOPS: '1' }),
    ).toThrow(/not both/);
  });

  it('refuses to start without a key-encryption secret, or with keys that would outlive the token rotation', () => {
    expect(() => loadVirtualQueueConfig({ ...base, VQ_KEY_ENCRYPTION_KEY_FILE: '' })).toThrow(
      /VQ_KEY_ENCRYPTION_KEY_FILE is required/,
    );
    expect(() =>
      loadVirtualQueueConfig({ ...base, VQ_TOKEN_TTL_SECONDS: '600', VQ_SIGNING_KEY_ROTATION_SECONDS: '300' }),
    ).toThrow(/must exceed/);
  });
});
