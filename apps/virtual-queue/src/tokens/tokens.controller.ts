import { Body, Controller, Get, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ZodValidationPipe } from '@surge/service-kit';
import { VisitorService } from '../visitor/visitor.service';
import { AdmissionTokenService } from './admission-token.service';

// Room and audience are required: a verifier states where it stands, so a token for elsewhere is refused.
const verifyRequest = z
  .object({
    token: z.string().min(1).max(4096),
    room: z.string().min(1),
    audience: z.string().min(1),
    redeem: z.boolean().default(false),
  })
  .strict();

@Controller()
export class TokensController {
  constructor(
    private readonly tokens: AdmissionTokenService,
    private readonly visitors: VisitorService,
  ) {}

  /** Purchase backends verify tokens offline with these keys. */
  @Get('.well-known/jwks.json')
  @ApiOperation({
    summary: 'The public keys admission tokens are signed with (current and previous), for offline checks',
  })
  @Header('cache-control', 'public, max-age=300')
  jwks() {
    return this.tokens.jwks();
  }

  /**
   * Online verification, which also checks that the visitor's session is still active; with `redeem` it spends the
   * admission, so a purchase backend sells one checkout per admission. 401 names the reason.
   */
  @Post('v1/tokens/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify an admission token online and, with redeem, spend it: one checkout per admission' })
  @ApiResponse({ status: 200, description: '`{ valid: true, … }`' })
  @ApiResponse({
    status: 401,
    description: 'the token is refused, and why',
    schema: { type: 'object', properties: { valid: { type: 'boolean', enum: [false] }, reason: { type: 'string' } } },
  })
  async verify(
    @Body(new ZodValidationPipe(verifyRequest)) body: z.output<typeof verifyRequest>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const verdict = await this.tokens.verify(body, (ticket) => this.visitors.visitorOfOrNull(body.room, ticket));
    if (!verdict.valid) void reply.status(401);
    return verdict;
  }
}
