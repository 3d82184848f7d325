import { DEFAULT_TOPICS } from '@surge/contracts';
import { signingEnv } from '@surge/config';
import { generateSigningKeyPair } from '@surge/signing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signingPolicyFor } from './signing-policy';

const schema = z.object(signingEnv);
const { privateKeyPem, publicKeyBase64 } = generateSigningKeyPair();

describe('signing policy at boot', () => {
  it('refuses to start a module that declares signed topics without keys, unless SURGE_SIGNING_OPEN', () => {
    const declared = { sign: ['decisions' as const], verify: ['observed' as const] };
    expect(() => signingPolicyFor(schema.parse({}), declared, DEFAULT_TOPICS, 'rules-engine')).toThrow(
      /SURGE_SIGNING_KEY_ID/,
    );
    const keyed = { SURGE_SIGNING_KEY_ID: 'rules-1', SURGE_SIGNING_KEY: privateKeyPem };
    expect(() => signingPolicyFor(schema.parse(keyed), declared, DEFAULT_TOPICS, 'rules-engine')).toThrow(
      /SURGE_OBSERVED_PUBLIC_KEYS/,
    );
    const open = signingPolicyFor(schema.parse({ SURGE_SIGNING_OPEN: 'true' }), declared, DEFAULT_TOPICS, 'x');
    expect(open.signers.size + open.verifiers.size).toBe(0);
  });

  it('signs and verifies the declared topics by their names', () => {
    const config = schema.parse({
      SURGE_SIGNING_KEY_ID: 'rules-1',
      SURGE_SIGNING_KEY: privateKeyPem,
      SURGE_OBSERVED_PUBLIC_KEYS: `exec-1=${publicKeyBase64}`,
    });
    const policy = signingPolicyFor(config, { sign: ['decisions'], verify: ['observed'] }, DEFAULT_TOPICS, 'x');
    expect([...policy.signers.keys()]).toEqual([DEFAULT_TOPICS.decisions]);
    expect(policy.verifiers.get(DEFAULT_TOPICS.observed)?.keyIds).toEqual(['exec-1']);
  });

  it('refuses placeholder keys in the config', () => {
    expect(schema.safeParse({ SURGE_SIGNING_KEY: 'change-me' }).success).toBe(false);
    expect(schema.safeParse({ SURGE_CONTROL_PUBLIC_KEYS: '<public key>' }).success).toBe(false);
  });
});
