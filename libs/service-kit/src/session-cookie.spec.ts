import { Controller, Get, HttpCode, Module, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAuthGuard } from './admin-auth.guard';
import { createServiceApp } from './bootstrap-service';
import { ObservabilityModule } from './observability.module';
import { closeSession, openSession, SESSION_COOKIE } from './session-cookie';

const TOKEN = 'session-spec-admin-token-0123';

@Controller()
class SessionProbeController {
  @Post('session')
  @HttpCode(204)
  signIn(@Query('secure') secure: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): void {
    openSession(reply, secure === '1');
  }

  @Post('logout')
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) reply: FastifyReply): void {
    closeSession(reply, false);
  }

  @Get('admin')
  @UseGuards(AdminAuthGuard)
  admin() {
    return { ok: true };
  }
}

async function startProbe(adminToken: string): Promise<NestFastifyApplication> {
  @Module({
    imports: [ObservabilityModule.forRoot({ appName: 'session-probe', logLevel: 'silent', adminToken })],
    controllers: [SessionProbeController],
  })
  class ProbeModule {}
  const app = await createServiceApp(ProbeModule, { name: 'session-probe' });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const cookieOf = (setCookie: string | string[] | undefined): string => String(setCookie).split(';')[0]!;

describe('console session cookie', () => {
  let app: NestFastifyApplication;
  let rotated: NestFastifyApplication;
  beforeAll(async () => {
    app = await startProbe(TOKEN);
    rotated = await startProbe(`${TOKEN}-rotated`);
  });
  afterAll(async () => {
    await app.close();
    await rotated.close();
  });

  const admin = (target: NestFastifyApplication, cookie: string) =>
    target.inject({ method: 'GET', url: '/admin', headers: { cookie } });

  it('opens a signed, HttpOnly, same-site session of 12 h that the admin guard accepts', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/session' });
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=console\\.[^;]+;`));
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Max-Age=43200');
    expect(setCookie).not.toContain('Secure');
    expect((await admin(app, cookieOf(signIn.headers['set-cookie']))).statusCode).toBe(200);
  });

  it('marks the cookie Secure when asked', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/session?secure=1' });
    expect(String(signIn.headers['set-cookie'])).toContain('Secure');
  });

  it('refuses an unsigned or forged session cookie', async () => {
    expect((await admin(app, `${SESSION_COOKIE}=console`)).statusCode).toBe(401);
    expect((await admin(app, `${SESSION_COOKIE}=console.forged-signature`)).statusCode).toBe(401);
  });

  it('ends every session when the admin token changes', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/session' });
    expect((await admin(rotated, cookieOf(signIn.headers['set-cookie']))).statusCode).toBe(401);
  });

  it('clears the cookie on logout with the same path and flags', async () => {
    const logout = await app.inject({ method: 'POST', url: '/logout' });
    const setCookie = String(logout.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(setCookie).toContain('Max-Age=0');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
  });
});
