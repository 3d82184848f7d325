import { testSigningEnv } from '@surge/signing/testing';
import { describe, expect, it } from 'vitest';
import { testKeyEncryptionKeyFile } from '../testing/key-encryption-file';
import { loadVirtualQueueConfig } from './virtual-queue.config';

const base = { ...testSigningEnv('executor'), VQ_KEY_ENCRYPTION_KEY_FILE: testKeyEncryptionKeyFile() };

describe('the waiting room’s operator credential at boot', () => {
  it('starts on an operators file alone, without the shared admin token', () => {
    const config = loadVirtualQueueConfig({ ...base, SURGE_OPERATORS_FILE: '/etc/surge/operators/operators.yaml' });
    expect(config.SURGE_OPERATORS_FILE).toBe('/etc/surge/operators/operators.yaml');
    expect(config.SURGE_ADMIN_TOKEN).toBeUndefined();
  });

  it('refuses to start with neither, or with the compose file’s old default token', () => {
    expect(() => loadVirtualQueueConfig(base)).toThrow(/SURGE_ADMIN_TOKEN: set SURGE_OPERATORS_FILE/);
    expect(() => loadVirtualQueueConfig({ ...base, SURGE_ADMIN_TOKEN: 'change-me-dev-only' })).toThrow(
      /known default; generate one with `openssl rand -hex 32`/,
    );
  });
});
