import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { HealthRegistry } from './health.registry';
import { HttpErrorFilter } from './http-error.filter';

export interface BootstrapOptions {
  name: string;
  port: number;
  host?: string;
  bodyLimitBytes?: number;
}

/** Builds the Fastify application without listening: tests use it to listen on a port of their choice. */
export async function createServiceApp(
  module: Type<unknown>,
  options: Omit<BootstrapOptions, 'port'>,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  // Report not-ready first so a load balancer stops routing before the app closes its clients.
  const health = app.get(HealthRegistry);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => health.markShuttingDown());
  return app;
}

/** Starts a Surge app: Fastify, JSON logs, one error shape, and a graceful shutdown on SIGTERM. */
export async function bootstrapService(module: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  const app = await createServiceApp(module, options);
  await app.listen(options.port, options.host ?? '0.0.0.0');
  app.get(Logger).log(`${options.name} listening on ${await app.getUrl()}`, 'Bootstrap');
  return app;
}
