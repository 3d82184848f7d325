import { Body, Controller, HttpCode, Inject, Post, Res, UnauthorizedException } from '@nestjs/common';
import { ADMIN_TOKEN, SESSION_COOKIE, sessionCookieValue, tokensMatch, ZodValidationPipe } from '@surge/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';

const sessionBody = z.object({ token: z.string().min(1) });

// A browser's EventSource cannot send an Authorization header, so the console trades the token for a cookie once.
const SESSION_MAX_AGE_S = 12 * 3600;

@Controller('v1/session')
export class SessionController {
  constructor(
    @Inject(ADMIN_TOKEN) private readonly adminToken: string,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
  ) {}

  @Post()
  @HttpCode(204)
  signIn(
    @Body(new ZodValidationPipe(sessionBody)) body: z.infer<typeof sessionBody>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    if (!tokensMatch(body.token, this.adminToken)) throw new UnauthorizedException('invalid admin token');
    const secure = this.config.SURGE_SESSION_SECURE_COOKIE ? '; Secure' : '';
    reply.header(
      'Set-Cookie',
      `${SESSION_COOKIE}=${sessionCookieValue(this.adminToken)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${secure}`,
    );
  }

  @Post('logout')
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) reply: FastifyReply): void {
    reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
  }
}
