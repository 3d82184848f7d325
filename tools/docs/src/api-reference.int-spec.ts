import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../apps/audit-log/src/testing/test-database';
import { startTestApp as startConsoleHost, testConfig } from '../../../apps/audit-log/src/testing/test-app';
import { startIngest } from '../../../apps/metrics-ingest/src/testing/ingest-test-app';
import { startTestApp as startQueue } from '../../../apps/virtual-queue/src/testing/test-app';
import { API_DIR } from './api-reference';

const root = path.resolve(__dirname, '../../..');
const committed = (file: string) =>
  JSON.parse(readFileSync(path.join(root, API_DIR, `${file}.openapi.json`), 'utf8')) as unknown;

async function served(url: string): Promise<unknown> {
  const response = await fetch(`${url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/json');
  return response.json();
}

/**
 * The running services serve, at GET /openapi.json, the very document committed under docs/api: the docs tool
 * builds it in preview mode, the services at boot with their real providers and clients. The waiting room has
 * no console, the audit log hosts it (its cookie and CSRF alternatives), ingest has its own guard.
 */
describe('GET /openapi.json on the running services', () => {
  const apps: INestApplication[] = [];
  let database: TestDatabase | undefined;

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.drop();
  });

  it('virtual-queue serves its committed document', async () => {
    const queue = await startQueue();
    apps.push(queue.app);
    expect(await served(queue.url)).toEqual(committed('virtual-queue'));
  });

  it('audit-log, with the control plane it hosts, serves its committed document', async () => {
    database = await createTestDatabase('surge_openapi');
    const { app, url } = await startConsoleHost(
      testConfig({ DATABASE_URL: database.url, SURGE_AUDIT_SCHEMA: 'audit_openapi', SURGE_AUDIT_CONSUME: 'false' }),
    );
    apps.push(app);
    expect(await served(url)).toEqual(committed('audit-log'));
  });

  it('metrics-ingest serves its committed document, without a credential', async () => {
    const ingest = await startIngest({ KAFKA_BROKERS: process.env['KAFKA_BROKERS']! }, { waitForKafka: false });
    apps.push(ingest.app);
    expect(await served(ingest.url)).toEqual(committed('metrics-ingest'));
  });
});
