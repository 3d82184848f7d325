import { Body, Controller, Get, Header, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ZodValidationPipe } from '@surge/service-kit';
import { VisitorService } from '../visitor/visitor.service';
import { AdmissionTokenService } from './admission-token.service';

const verifyRequest = z.object({ token: z.string().min(1).max(4096), room: z.string().min(1).optional() }).strict();

@Controller()
export class TokensController {
  constructor(
    private readonly tokens: AdmissionTokenService,
    private readonly visitors: VisitorService,
  ) {}

  /** Purchase backends verify tokens offline with these keys. */
  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.tokens.jwks();
  }

  /** Online verification, which also checks that the visitor's session is still active. 401 names the reason. */
  @Post('v1/tokens/verify')
  @HttpCode(200)
  async verify(
    @Body(new ZodValidationPipe(verifyRequest)) body: z.output<typeof verifyRequest>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const verdict = await this.tokens.verify(body.token, body.room, (ticket) => {
      const room = body.room ?? this.roomOfUnverified(body.token);
      return room ? this.visitors.visitorOfOrNull(room, ticket) : null;
    });
    if (!verdict.valid) void reply.status(401);
    return verdict;
  }

  /** The room claim of a token whose signature jose already checked (verify is only called after that). */
  private roomOfUnverified(token: string): string | null {
    try {
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        room?: unknown;
      };
      return typeof payload.room === 'string' ? payload.room : null;
    } catch {
      return null;
    }
  }
}
