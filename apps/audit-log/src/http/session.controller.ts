import { Body, Controller, HttpCode, Inject, Post, Res, UnauthorizedException } from '@nestjs/common';
import { ADMIN_TOKEN, closeSession, openSession, tokensMatch, ZodValidationPipe } from '@surge/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';

const sessionBody = z.object({ token: z.string().min(1) });

/** The console trades the admin token for a signed session cookie once (see openSession). */
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
    openSession(reply, this.config.SURGE_SESSION_SECURE_COOKIE);
  }

  @Post('logout')
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) reply: FastifyReply): void {
    closeSession(reply, this.config.SURGE_SESSION_SECURE_COOKIE);
  }
}
