import { Controller, Get, Module, Post, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp } from './bootstrap-service';
import { ObservabilityModule } from './observability.module';

/**
 * pino-http keeps its per-request loggers in `allLogs` on the raw request (middie sets `log` itself either way):
 * its presence shows the binding ran.
 */
@Controller()
class ProbeController {
  @Post('rooms/:room/join')
  hot(@Req() request: FastifyRequest) {
    return { bound: 'allLogs' in request.raw };
  }

  @Get('rooms/:room/stats')
  cold(@Req() request: FastifyRequest) {
    return { bound: 'allLogs' in request.raw };
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({
      appName: 'probe',
      logLevel: 'silent',
      hotRoutes: [{ path: 'rooms/:room/join', method: 'POST' }],
    }),
  ],
  controllers: [ProbeController],
})
class ProbeModule {}

describe('ObservabilityModule hot routes', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createServiceApp(ProbeModule, { name: 'probe' });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('skips the per-request logger on a hot route and keeps it elsewhere', async () => {
    const hot = await app.inject({ method: 'POST', url: '/rooms/sale/join' });
    const cold = await app.inject({ method: 'GET', url: '/rooms/sale/stats' });
    expect(hot.json()).toEqual({ bound: false });
    expect(cold.json()).toEqual({ bound: true });
  });
});
