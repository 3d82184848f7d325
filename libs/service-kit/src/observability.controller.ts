import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthRegistry } from './health.registry';
import { MetricsRegistry } from './metrics.registry';

@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsRegistry,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: every dependency check passes' })
  @ApiResponse({ status: 200, description: 'ready: the report of every check', schema: { type: 'object' } })
  @ApiResponse({
    status: 503,
    description: 'not ready (or shutting down): the report says which check fails',
    schema: { type: 'object' },
  })
  async ready(@Res() reply: FastifyReply) {
    const report = await this.health.report();
    await reply.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(report);
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply) {
    const body = await this.metrics.registry.metrics();
    await reply.header('Content-Type', this.metrics.registry.contentType).send(body);
  }
}
