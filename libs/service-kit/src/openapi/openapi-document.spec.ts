import { Body, Controller, Get, HttpCode, Module, Param, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdminAuthGuard } from '../admin-auth.guard';
import { createServiceApp } from '../bootstrap-service';
import { ObservabilityModule } from '../observability.module';
import { RequireRole } from '../operators/require-role.decorator';
import { ZodValidationPipe } from '../zod-validation.pipe';
import { ApiErrors, ApiZodResponse } from './api-schemas';
import { buildOpenApiDocument } from './openapi-document';

const dialBody = z.object({ level: z.number().int().min(0).max(9), note: z.string().optional() }).strict();
const dialView = z.object({ level: z.number().int() });

@Controller('v1/dials')
@UseGuards(AdminAuthGuard)
@RequireRole('operator')
class DialController {
  @Post(':dial')
  @HttpCode(202)
  @ApiErrors({ 404: 'no such dial' })
  turn(@Param('dial') dial: string, @Body(new ZodValidationPipe(dialBody)) body: z.output<typeof dialBody>) {
    return { dial, ...body };
  }

  @Get()
  @RequireRole('viewer')
  @ApiZodResponse(200, 'DialView', dialView)
  read() {
    return { level: 1 };
  }
}

@Controller('v1/open')
class OpenController {
  @Get()
  read() {
    return {};
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ appName: 'probe', logLevel: 'silent', adminToken: 'probe-token-0123456789' }),
  ],
  controllers: [DialController, OpenController],
})
class ProbeModule {}

type Operation = {
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
  security?: Record<string, string[]>[];
  'x-surge-role'?: string;
};
const operation = (document: OpenAPIObject, path: string, method: 'get' | 'post') =>
  document.paths[path]![method] as unknown as Operation;

describe('the OpenAPI document of a service', () => {
  let app: NestFastifyApplication;
  let served: OpenAPIObject;

  beforeAll(async () => {
    app = await createServiceApp(ProbeModule, { name: 'probe' });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    served = response.json();
  });
  afterAll(() => app.close());

  it('documents the body a route validates with the zod schema of its pipe, and its 400', () => {
    const turn = operation(served, '/v1/dials/{dial}', 'post');
    expect(turn.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/DialTurnRequest' } } },
    });
    expect(served.components!.schemas!['DialTurnRequest']).toEqual({
      type: 'object',
      properties: { level: { type: 'integer', minimum: 0, maximum: 9 }, note: { type: 'string' } },
      required: ['level'],
      additionalProperties: false,
    });
    expect(turn.responses['400']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/ErrorBody');
  });

  it('gives every error answer the one error body, with its issues', () => {
    const turn = operation(served, '/v1/dials/{dial}', 'post');
    for (const status of ['400', '401', '403', '404'])
      expect(turn.responses[status]!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/ErrorBody');
    expect(served.components!.schemas!['ErrorBody']).toMatchObject({
      required: ['error', 'message'],
      properties: { issues: { type: 'array' } },
    });
  });

  it("reads security and the role from the route's guard and @RequireRole", () => {
    const turn = operation(served, '/v1/dials/{dial}', 'post');
    const read = operation(served, '/v1/dials', 'get');
    expect(turn.security).toEqual([{ operatorToken: [] }]);
    expect(turn['x-surge-role']).toBe('operator');
    expect(read['x-surge-role']).toBe('viewer');
    expect(operation(served, '/v1/open', 'get').security).toBeUndefined();
    // Only the schemes some operation uses: this app hosts no console, so no cookie.
    expect(Object.keys(served.components!.securitySchemes!)).toEqual(['operatorToken']);
  });

  it('documents a response with the zod schema its decorator names', () => {
    const read = operation(served, '/v1/dials', 'get');
    expect(read.responses['200']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/DialView');
    expect(served.components!.schemas!['DialView']).toMatchObject({ properties: { level: { type: 'integer' } } });
  });

  it('offers the console cookie, with the CSRF header on changes, where the console is hosted', () => {
    const hosted = buildOpenApiDocument(app, { name: 'probe', consoleSessions: true });
    expect(operation(hosted, '/v1/dials/{dial}', 'post').security).toEqual([
      { operatorToken: [] },
      { consoleSession: [], csrfToken: [] },
    ]);
    expect(operation(hosted, '/v1/dials', 'get').security).toEqual([{ operatorToken: [] }, { consoleSession: [] }]);
  });

  it('is the same built from an app in preview mode, which creates no provider (the docs tool)', async () => {
    const preview = await NestFactory.create(ProbeModule, new FastifyAdapter(), { preview: true, logger: false });
    try {
      expect(buildOpenApiDocument(preview, { name: 'probe', consoleSessions: false })).toEqual(served);
    } finally {
      await preview.close();
    }
  });
});
