import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminAuthGuard, createServiceApp, ObservabilityModule, RequireRole } from '@surge/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTopicEnv } from '../testing/audit-process';
import { startTestApp, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const TOKENS = {
  vera: 'vera-viewer-token-0123456789abcdef',
  otto: 'otto-operator-token-0123456789ab',
  ada: 'ada-admin-token-0123456789abcdef',
};
const hashOf = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex')}`;
const OPERATORS_FILE = path.join(mkdtempSync(path.join(tmpdir(), 'surge-console-')), 'operators.yaml');
writeFileSync(
  OPERATORS_FILE,
  `operators:\n${Object.entries(TOKENS)
    .map(
      ([name, token]) =>
        `  - { name: ${name}, role: ${{ vera: 'viewer', otto: 'operator', ada: 'admin' }[name]}, tokenHash: "${hashOf(token)}" }`,
    )
    .join('\n')}\n`,
);
const IDLE_S = 2;
const ABSOLUTE_S = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Any other Surge service: the same admin guard and operators, without the console's sessions. */
@Controller()
class OtherServiceController {
  @Get('status')
  @UseGuards(AdminAuthGuard)
  @RequireRole('viewer')
  status() {
    return { ok: true };
  }
}

describe('console sessions (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let other: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const topicEnv = uniqueTopicEnv(`sessions-${randomUUID().slice(0, 8)}`);
    const config = testConfig({
      ...topicEnv,
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: 'audit_sessions',
      SURGE_AUDIT_CONSUME: 'false',
      SURGE_OPERATORS_FILE: OPERATORS_FILE,
      SURGE_SESSION_IDLE_SECONDS: String(IDLE_S),
      SURGE_SESSION_ABSOLUTE_SECONDS: String(ABSOLUTE_S),
      SURGE_TRUST_PROXY: 'true',
    });
    ({ app, url } = await startTestApp(config, topicEnv));
    @Module({
      imports: [ObservabilityModule.forRoot({ appName: 'other', logLevel: 'silent', operatorsFile: OPERATORS_FILE })],
      controllers: [OtherServiceController],
    })
    class OtherModule {}
    other = await createServiceApp(OtherModule, { name: 'other' });
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await other?.close();
    await app?.close();
    await db?.drop();
  });

  async function signIn(token: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url, ...headers },
      body: JSON.stringify({ token }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { operator: string; role: string; csrfToken: string };
    const setCookie = response.headers.get('set-cookie') ?? '';
    return { ...body, setCookie, cookie: setCookie.split(';')[0]! };
  }

  const control = (action: string, headers: Record<string, string>) =>
    fetch(`${url}/v1/control/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ policy: 'checkout-cpu' }),
    });
  const read = (cookie: string) => fetch(`${url}/v1/audit/events?limit=1`, { headers: { cookie } });

  it('opens an HttpOnly, SameSite=Strict session, Secure when the request came over HTTPS', async () => {
    const plain = await signIn(TOKENS.otto);
    expect(plain).toMatchObject({ operator: 'otto', role: 'operator' });
    expect(plain.setCookie).toMatch(/HttpOnly/);
    expect(plain.setCookie).toMatch(/SameSite=Strict/);
    expect(plain.setCookie).toMatch(/Path=\//);
    expect(plain.setCookie).not.toMatch(/Secure/);
    const overHttps = await signIn(TOKENS.otto, {
      'x-forwarded-proto': 'https',
      origin: url.replace('http:', 'https:'),
    });
    expect(overHttps.setCookie).toMatch(/Secure/);
  });

  it('lets a viewer read but not pause, an operator pause, and names the operator in the event', async () => {
    expect((await control('pause', { authorization: `Bearer ${TOKENS.vera}` })).status).toBe(403);
    const paused = await control('pause', { authorization: `Bearer ${TOKENS.otto}` });
    expect(paused.status).toBe(202);
    expect(await paused.json()).toMatchObject({ published: { type: 'pause', actor: 'otto' } });
    const viewer = await signIn(TOKENS.vera);
    expect((await read(viewer.cookie)).status).toBe(200);
    const asViewer = await control('resume', { cookie: viewer.cookie, origin: url, 'x-csrf-token': viewer.csrfToken });
    expect(asViewer.status).toBe(403);
  });

  it('takes a change with the cookie only from the console origin and with the CSRF token', async () => {
    const { cookie, csrfToken } = await signIn(TOKENS.otto);
    expect(
      (await control('resume', { cookie, origin: 'https://evil.example', 'x-csrf-token': csrfToken })).status,
    ).toBe(403);
    expect((await control('resume', { cookie, 'x-csrf-token': csrfToken })).status).toBe(403);
    expect((await control('resume', { cookie, origin: url })).status).toBe(403);
    expect((await control('resume', { cookie, origin: url, 'x-csrf-token': 'forged' })).status).toBe(403);
    const accepted = await control('resume', { cookie, origin: url, 'x-csrf-token': csrfToken });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ published: { type: 'resume', actor: 'otto' } });
    // A page reloaded asks for its CSRF token again.
    const current = await fetch(`${url}/v1/session`, { headers: { cookie } });
    expect(await current.json()).toEqual({ operator: 'otto', role: 'operator', csrfToken });
  });

  it('leaves bearer clients as they were: no Origin, no CSRF token', async () => {
    expect((await control('dry-run-on', { authorization: `Bearer ${TOKENS.ada}` })).status).toBe(202);
  });

  it('ends the session on logout: the old cookie is refused afterwards', async () => {
    const { cookie, csrfToken } = await signIn(TOKENS.otto);
    expect((await read(cookie)).status).toBe(200);
    const logout = await fetch(`${url}/v1/session/logout`, {
      method: 'POST',
      headers: { cookie, origin: url, 'x-csrf-token': csrfToken },
    });
    expect(logout.status).toBe(204);
    expect((await read(cookie)).status).toBe(401);
    expect((await control('pause', { cookie, origin: url, 'x-csrf-token': csrfToken })).status).toBe(401);
  });

  it('is refused by every other service, which takes bearer tokens only', async () => {
    const { cookie } = await signIn(TOKENS.ada);
    expect((await read(cookie)).status).toBe(200);
    expect((await other.inject({ method: 'GET', url: '/status', headers: { cookie } })).statusCode).toBe(401);
    const bearer = await other.inject({
      method: 'GET',
      url: '/status',
      headers: { authorization: `Bearer ${TOKENS.vera}` },
    });
    expect(bearer.statusCode).toBe(200);
  });

  it('ends a session left idle, and one past its absolute lifetime however active', async () => {
    const idle = await signIn(TOKENS.vera);
    const active = await signIn(TOKENS.vera);
    const started = Date.now();
    // Used every half second, it outlives the idle expiry many times over, up to its absolute lifetime.
    while (Date.now() - started < (ABSOLUTE_S - 0.5) * 1000) {
      expect((await read(active.cookie)).status).toBe(200);
      await sleep(500);
    }
    expect((await read(idle.cookie)).status).toBe(401);
    while (Date.now() - started < (ABSOLUTE_S + 0.5) * 1000) {
      await read(active.cookie);
      await sleep(250);
    }
    expect((await read(active.cookie)).status).toBe(401);
  }, 20_000);
});
