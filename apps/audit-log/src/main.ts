import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { createServiceApp, exitOnBootFailure } from '@surge/service-kit';
import { Logger } from 'nestjs-pino';
import { loadAuditLogConfig } from './config/audit-log.config';
import { ConsoleHostModule } from './console-host.module';
import { serveConsole } from './http/console-assets';

async function main(): Promise<void> {
  const config = loadAuditLogConfig();
  @Module({ imports: [ConsoleHostModule.forRoot(config)] })
  class AppModule {}
  const app = await createServiceApp(AppModule, { name: 'audit-log' });
  serveConsole(app, config.SURGE_CONSOLE_DIR);
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`audit-log listening on ${await app.getUrl()}`, 'Bootstrap');
}

main().catch((error: unknown) => exitOnBootFailure(error));
