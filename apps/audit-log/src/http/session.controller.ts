import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import {
  clearSessionCookie,
  OPERATORS,
  type OperatorRegistry,
  setSessionCookie,
  sha256,
  ApiErrors,
  ZodValidationPipe,
} from '@surge/service-kit';
import { ApiCookieAuth, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConsoleSessionAuthenticator } from '../sessions/console-session.authenticator';

const sessionBody = z.object({ token: z.string().min(1) });

/**
 * The console trades an operator's token for a server-side session once (a browser's EventSource cannot send an
 * Authorization header). The CSRF token it returns must come back as X-CSRF-Token on every change made with it.
 */
@Controller('v1/session')
export class SessionController {
  constructor(
    @Inject(OPERATORS) private readonly operators: OperatorRegistry,
    private readonly sessions: ConsoleSessionAuthenticator,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Trade an operator's token for a console session: sets the cookie, returns the CSRF token" })
  @ApiErrors({ 401: 'invalid operator token', 403: 'cross-origin request refused' })
  async signIn(
    @Body(new ZodValidationPipe(sessionBody)) body: z.infer<typeof sessionBody>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // A browser always sends Origin with a POST; a script that sends none is not a page another site controls.
    if (request.headers.origin !== undefined) this.sessions.assertSameOrigin(request);
    const operator = this.operators.authenticate(body.token);
    if (!operator) throw new UnauthorizedException('invalid operator token');
    const { sessionId, csrfToken } = await this.sessions.open(sha256(body.token));
    setSessionCookie(reply, sessionId, this.sessions.secureCookie(request));
    return { operator: operator.name, role: operator.role, csrfToken };
  }

  /** The open session, for a console page loaded again: who is signed in, and the CSRF token to send. */
  @Get()
  @ApiOperation({ summary: 'The open session: who is signed in, and the CSRF token to send' })
  @ApiCookieAuth('consoleSession')
  @ApiErrors({ 401: 'no console session' })
  async current(@Req() request: FastifyRequest) {
    const session = await this.sessions.resolve(request);
    if (!session) throw new UnauthorizedException('no console session');
    return { operator: session.operator.name, role: session.operator.role, csrfToken: session.csrfToken };
  }

  /** Ends the session on the server, so the cookie opens nothing even where a browser kept it. */
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session on the server' })
  @ApiSecurity({ consoleSession: [], csrfToken: [] })
  @ApiErrors({ 403: 'cross-origin request or missing CSRF token' })
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    // Checked like any change made with the cookie, so no other site can end an operator's session.
    await this.sessions.resolve(request);
    await this.sessions.revoke(request);
    clearSessionCookie(reply, this.sessions.secureCookie(request));
  }
}
