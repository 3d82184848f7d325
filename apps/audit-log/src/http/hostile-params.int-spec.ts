import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_ADMIN_TOKEN, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// Found by `npm run fuzz`: each of these reached PostgreSQL and came back as a 500.
describe('audit query API refuses parameters PostgreSQL cannot take, with a 400 naming them', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, url } = await startTestApp(
      testConfig({ DATABASE_URL: db.url, SURGE_AUDIT_SCHEMA: 'audit_hostile', SURGE_AUDIT_CONSUME: 'false' }),
    ));
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  const cursor = (text: string) => Buffer.from(text).toString('base64url');

  it.each([
    ['a NUL in decisionId', '/v1/audit/events?decisionId=%00', 'decisionId'],
    ['a NUL in target', '/v1/audit/events?target=a%00b', 'target'],
    ['a NUL in status', '/v1/audit/events?status=%00', 'status'],
    ['an epoch beyond Date', '/v1/audit/events?from=99999999999999999999', 'from'],
    ['a cursor beyond bigint', `/v1/audit/events?cursor=${cursor('1:9999999999999999999')}`, 'cursor'],
    ['a NUL in a decision id', '/v1/audit/decisions/%00', 'id'],
  ])('%s', async (_name, path, parameter) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toContain(parameter);
  });
});
