import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { createServiceApp, exitOnBootFailure } from '@surge/service-kit';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadIngestConfig } from './config/ingest.config';
import { configureIngestHttp } from './http/configure-http';

async function main(): Promise<void> {
  const config = loadIngestConfig();
  const module = AppModule.forRoot(config) as unknown as Type<unknown>;
  const app = await createServiceApp(module, {
    name: 'metrics-ingest',
    bodyLimitBytes: config.SURGE_INGEST_MAX_BODY_BYTES,
  });
  configureIngestHttp(app);
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`metrics-ingest listening on ${await app.getUrl()}`, 'Bootstrap');
}

main().catch((error: unknown) =>
  exitOnBootFailure(error, (e) =>
    JSON.stringify({ level: 'fatal', time: Date.now(), msg: e instanceof Error ? e.message : String(e) }),
  ),
);
