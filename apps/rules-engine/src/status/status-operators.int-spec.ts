import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runningPolicyList, targetStatusList } from '@surge/contracts';
import { runTopicEnv, writeOperatorsFile } from '@surge/harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineApp } from '../testing/engine-app';

// Real: Kafka, Redis and the rules engine as a Nest app on a port, reading the operators file the console reads.
const run = randomUUID().slice(0, 8);
const prefix = `test:status-operators:${run}:`;
const SHARED_TOKEN = `shared-admin-${run}-0123456789`;
const { file, tokens } = writeOperatorsFile({ vera: 'viewer', ada: 'admin' });
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-status-operators-'));
let engine: NestFastifyApplication;
let url: string;

const get = (route: string, token: string) =>
  fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  fs.writeFileSync(
    path.join(policiesDir, 'viewer.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-viewer }
spec:
  target: { id: it/viewer-${run}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 3
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`,
  );
  engine = await startEngineApp({
    ...runTopicEnv(`test.status-operators.${run}`),
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-status-operators-${run}`,
    SURGE_RULES_REDIS_PREFIX: prefix,
    // Both set: the file replaces the shared token, which must then open nothing.
    SURGE_ADMIN_TOKEN: SHARED_TOKEN,
    SURGE_OPERATORS_FILE: file,
  });
  url = (await engine.getUrl()).replace('[::1]', '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await engine?.close();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

describe('the rules engine status API with named operators (real Kafka and Redis)', () => {
  it('lets a viewer of the operators file read the status and the policies', async () => {
    const policies = await get('/policies', tokens['vera']!);
    expect(policies.status).toBe(200);
    expect(runningPolicyList.parse(await policies.json()).policies.map((p) => p.name)).toEqual(['it-viewer']);
    const status = await get('/status', tokens['vera']!);
    expect(status.status).toBe(200);
    expect(targetStatusList.parse(await status.json())).toMatchObject({ globalPause: false });
    expect((await get('/policies', tokens['ada']!)).status).toBe(200);
  });

  it('refuses a token the file does not name, and the shared token the file replaced', async () => {
    for (const token of [`unknown-${run}-0123456789abcdef`, SHARED_TOKEN]) {
      const refused = await get('/status', token);
      expect(refused.status, token).toBe(401);
      expect(await refused.json()).toMatchObject({ message: 'invalid admin token' });
    }
  });
});
