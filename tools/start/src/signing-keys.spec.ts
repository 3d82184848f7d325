import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signingEnv } from '@surge/config';
import { CONTROL_PLANE_SIGNING } from '@surge/control-plane';
import { DEFAULT_TOPICS } from '@surge/contracts';
import { EXECUTOR_SIGNING } from '@surge/executor-framework';
import { SERVICES } from '@surge/harness';
import { type SigningDeclaration, type SigningPolicy, signingPolicyFor } from '@surge/kafka';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateRunSigningKeys } from './signing-keys';

const RULES_ENGINE_SIGNING: SigningDeclaration = { sign: ['decisions'], verify: ['observed', 'actions', 'control'] };
const DECLARED: Record<string, SigningDeclaration> = {
  'audit-log': CONTROL_PLANE_SIGNING,
  'rules-engine': RULES_ENGINE_SIGNING,
  'executor-k8s': EXECUTOR_SIGNING,
  'virtual-queue': EXECUTOR_SIGNING,
};

describe('generateRunSigningKeys', () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'surge-start-')), 'run');
  const keys = generateRunSigningKeys(dir, 'run-1');
  /** What a service's Kafka module builds from the environment npm start gives it. */
  const policyOf = (name: string): SigningPolicy => {
    const spec = SERVICES.find((s) => s.name === name)!;
    const config = z.object(signingEnv).parse({ ...keys.envFor(spec) });
    return signingPolicyFor(config, DECLARED[name], DEFAULT_TOPICS, name);
  };
  const value = JSON.stringify({ n: 1 });

  it('gives each signer its own key as a mode-600 file, never inline', () => {
    const env = keys.envFor(SERVICES.find((s) => s.name === 'rules-engine')!);
    expect(env['SURGE_SIGNING_KEY']).toBeUndefined();
    const file = String(env['SURGE_SIGNING_KEY_FILE']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const executorEnv = keys.envFor(SERVICES.find((s) => s.name === 'executor-cache')!);
    expect(executorEnv['SURGE_SIGNING_KEY_FILE']).not.toBe(file);
  });

  it('lets each consumer verify exactly the role that writes its topic', () => {
    const engine = policyOf('rules-engine');
    const executor = policyOf('executor-k8s');
    const queue = policyOf('virtual-queue');
    const controlPlane = policyOf('audit-log');
    const signed = (policy: SigningPolicy, topic: string) => policy.signers.get(topic)!.headersFor(value);
    const verify = (policy: SigningPolicy, topic: string, headers: Record<string, string>) =>
      policy.verifiers.get(topic)!.verify(value, headers).ok;

    const decision = signed(engine, DEFAULT_TOPICS.decisions);
    expect(verify(executor, DEFAULT_TOPICS.decisions, decision)).toBe(true);
    expect(verify(queue, DEFAULT_TOPICS.decisions, decision)).toBe(true);
    expect(verify(engine, DEFAULT_TOPICS.observed, signed(executor, DEFAULT_TOPICS.observed))).toBe(true);
    expect(verify(engine, DEFAULT_TOPICS.observed, signed(queue, DEFAULT_TOPICS.observed))).toBe(true);
    expect(verify(engine, DEFAULT_TOPICS.actions, signed(executor, DEFAULT_TOPICS.actions))).toBe(true);
    expect(verify(engine, DEFAULT_TOPICS.actions, signed(queue, DEFAULT_TOPICS.actions))).toBe(true);
    const control = signed(controlPlane, DEFAULT_TOPICS.control);
    expect(verify(engine, DEFAULT_TOPICS.control, control)).toBe(true);
    expect(verify(executor, DEFAULT_TOPICS.control, control)).toBe(true);

    // An executor's key is no rules engine's: a decision it signed is refused.
    const byExecutor = executor.signers.get(DEFAULT_TOPICS.observed)!.headersFor(value);
    expect(verify(executor, DEFAULT_TOPICS.decisions, byExecutor)).toBe(false);
    expect(verify(engine, DEFAULT_TOPICS.control, byExecutor)).toBe(false);
  });

  it('gives a service that signs nothing no key, only the trust lists', () => {
    const env = keys.envFor(SERVICES.find((s) => s.name === 'metrics-ingest')!);
    expect(env['SURGE_SIGNING_KEY_ID']).toBeUndefined();
    expect(env['SURGE_SIGNING_KEY_FILE']).toBeUndefined();
    expect(env['SURGE_DECISIONS_PUBLIC_KEYS']).toMatch(/^rules-engine-run-1=/);
  });
});
