import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAuthGuard } from '../admin-auth.guard';
import { createServiceApp } from '../bootstrap-service';
import { ObservabilityModule } from '../observability.module';
import { SESSION_COOKIE } from '../session-cookie';
import type { Operator } from './operator';
import { loadOperators, OperatorsFileError, readOperatorsFile } from './operators-file';
import { CurrentOperator, RequireRole } from './require-role.decorator';

const dir = mkdtempSync(path.join(tmpdir(), 'surge-operators-'));
const hashOf = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex')}`;
const TOKENS = {
  vera: 'vera-viewer-token-0123456789abcdef',
  otto: 'otto-operator-token-0123456789ab',
  ada: 'ada-admin-token-0123456789abcdef',
};

function operatorsFile(body: string): string {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, body);
  return file;
}

const GOOD_FILE = operatorsFile(`operators:
  - { name: vera, role: viewer, tokenHash: "${hashOf(TOKENS.vera)}" }
  - { name: otto, role: operator, tokenHash: "${hashOf(TOKENS.otto)}" }
  - { name: ada, role: admin, tokenHash: "${hashOf(TOKENS.ada)}" }
`);

@Controller()
@UseGuards(AdminAuthGuard)
class ProbeController {
  @Get('read')
  @RequireRole('viewer')
  read(@CurrentOperator() operator: Operator) {
    return operator;
  }

  @Post('pause')
  @RequireRole('operator')
  pause(@CurrentOperator() operator: Operator) {
    return operator;
  }

  @Post('rooms')
  rooms(@CurrentOperator() operator: Operator) {
    return operator;
  }
}

async function startProbe(options: { adminToken?: string; operatorsFile?: string }) {
  @Module({
    imports: [ObservabilityModule.forRoot({ appName: 'operators-probe', logLevel: 'silent', ...options })],
    controllers: [ProbeController],
  })
  class ProbeModule {}
  const app = await createServiceApp(ProbeModule, { name: 'operators-probe' });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('operators file', () => {
  it('names every bad field, refuses duplicates, shared tokens and placeholder hashes', () => {
    const bad = operatorsFile(`operators:
  - { name: Bob!, role: root, tokenHash: "md5:abc" }
`);
    expect(() => readOperatorsFile(bad)).toThrow(OperatorsFileError);
    expect(() => readOperatorsFile(bad)).toThrow(/operators\.0\.name: .*operators\.0\.role: .*operators\.0\.tokenHash/);
    const twice = operatorsFile(`operators:
  - { name: bob, role: viewer, tokenHash: "${hashOf('a-long-token-0123456789abcdef')}" }
  - { name: bob, role: admin, tokenHash: "${hashOf('another-token-0123456789abcdef')}" }
`);
    expect(() => readOperatorsFile(twice)).toThrow(/operator "bob" twice/);
    const shared = operatorsFile(`operators:
  - { name: bob, role: viewer, tokenHash: "${hashOf('a-long-token-0123456789abcdef')}" }
  - { name: eve, role: admin, tokenHash: "${hashOf('a-long-token-0123456789abcdef')}" }
`);
    expect(() => readOperatorsFile(shared)).toThrow(/share one token/);
    const empty = operatorsFile(`operators:\n  - { name: bob, role: viewer, tokenHash: "${hashOf('')}" }\n`);
    expect(() => readOperatorsFile(empty)).toThrow(/empty or placeholder/);
    const reserved = operatorsFile(
      `operators:\n  - { name: surge, role: admin, tokenHash: "${hashOf('a-long-token-0123456789abcdef')}" }\n`,
    );
    expect(() => readOperatorsFile(reserved)).toThrow(/reserved/);
  });

  it('replaces the shared admin token when set; without it the token is the operator admin', () => {
    expect(loadOperators({ adminToken: TOKENS.ada, operatorsFile: GOOD_FILE }).authenticate(TOKENS.ada)).toEqual({
      name: 'ada',
      role: 'admin',
    });
    const shared = 'the-shared-admin-token-0123456789';
    expect(loadOperators({ adminToken: shared, operatorsFile: GOOD_FILE }).authenticate(shared)).toBeNull();
    expect(loadOperators({ adminToken: shared }).authenticate(shared)).toEqual({ name: 'admin', role: 'admin' });
    expect(loadOperators({}).authenticate('')).toBeNull();
  });
});

describe('admin guard with named operators', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startProbe({ adminToken: 'the-shared-admin-token-0123456789', operatorsFile: GOOD_FILE });
  });
  afterAll(async () => {
    await app.close();
  });

  const call = (method: 'GET' | 'POST', url: string, token?: string, cookie?: string) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(cookie ? { cookie } : {}) },
    });

  it('lets each role do what it may and no more, naming the operator', async () => {
    expect((await call('GET', '/read', TOKENS.vera)).json()).toEqual({ name: 'vera', role: 'viewer' });
    expect((await call('POST', '/pause', TOKENS.vera)).statusCode).toBe(403);
    expect((await call('POST', '/pause', TOKENS.otto)).json()).toEqual({ name: 'otto', role: 'operator' });
    // No @RequireRole: an admin's.
    expect((await call('POST', '/rooms', TOKENS.otto)).statusCode).toBe(403);
    expect((await call('POST', '/rooms', TOKENS.ada)).json()).toEqual({ name: 'ada', role: 'admin' });
  });

  it('refuses the shared token once there is an operators file, and any cookie in a service without sessions', async () => {
    expect((await call('GET', '/read', 'the-shared-admin-token-0123456789')).statusCode).toBe(401);
    expect((await call('GET', '/read', undefined, `${SESSION_COOKIE}=anything`)).statusCode).toBe(401);
    expect((await call('GET', '/read', 'nope')).statusCode).toBe(401);
  });
});
