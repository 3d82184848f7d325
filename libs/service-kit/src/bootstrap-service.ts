import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ConsoleSessions } from './operators/console-sessions';
import { HealthRegistry } from './health.registry';
import { HttpErrorFilter } from './http-error.filter';
import { serveOpenApi } from './openapi/serve-openapi';
import { registerSessionCookies } from './session-cookie';

/** The signals that stop a service gracefully. */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface BootstrapOptions {
  name: string;
  port: number;
  host?: string;
  bodyLimitBytes?: number;
  /**
   * Which peers may name the client in X-Forwarded-For: Fastify's trustProxy (CIDR list, hop count). Off by
   * default, so a client cannot pick its own request.ip; only the service that sits behind a known proxy sets it.
   */
  trustProxy?: string | number;
}

/** Builds the Fastify application without listening: tests use it to listen on a port of their choice. */
export async function createServiceApp(
  module: Type<unknown>,
  options: Omit<BootstrapOptions, 'port'>,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
  });
  // abortOnError: false: a module that fails to initialise throws to the caller instead of Nest exiting the process
  // with 1, so main() exits with the code that tells a supervisor whether to restart, and a test fails as a test.
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  // Only SIGTERM and SIGINT end a service. Without a list Nest also shuts down on SIGHUP (and SIGUSR2, SIGQUIT…),
  // which a service may use for something else: the waiting room reloads its rooms file on SIGHUP.
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
  // Only the app that hosts the console parses cookies: everywhere else a cookie authenticates nothing.
  if (app.get(ConsoleSessions).current) await registerSessionCookies(app);
  serveOpenApi(app, options.name);
  // Report not-ready first so a load balancer stops routing before the app closes its clients.
  const health = app.get(HealthRegistry);
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => health.markShuttingDown());
  return app;
}

/** Starts a Surge app: Fastify, JSON logs, one error shape, and a graceful shutdown on SIGTERM. */
export async function bootstrapService(module: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  const app = await createServiceApp(module, options);
  await app.listen(options.port, options.host ?? '0.0.0.0');
  app.get(Logger).log(`${options.name} listening on ${await app.getUrl()}`, 'Bootstrap');
  return app;
}
