import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { freePort } from '@surge/harness';
import { createServiceApp } from '@surge/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from './config/rules-engine.config';
import { RulesEngineModule } from './rules-engine.module';
import { testSigningEnv } from '@surge/signing/testing';

/**
 * Kafka and Redis both down at boot (addresses nothing listens on): the engine must come up, answer live, and
 * report not ready naming the start, instead of failing its boot and exiting. Before the fix `listen` threw.
 */
describe('rules engine with its dependencies down at boot', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    const config = loadRulesEngineConfig({
      ...process.env,
      ...testSigningEnv('rules-engine'),
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      SURGE_POLICIES_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'surge-policies-')),
      LOG_LEVEL: 'error',
    });
    @Module({ imports: [RulesEngineModule.forRoot(config)] })
    class AppModule {}
    app = await createServiceApp(AppModule, { name: 'rules-engine' });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  it('is live and not ready, with the background start named as failing', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('engine-start');
  });

  it('is still up a few seconds later, the start still being tried', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(/not started \(attempt \d+\)/);
  });
});
