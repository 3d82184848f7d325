import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { createServiceApp } from '@surge/service-kit';
import { Logger } from 'nestjs-pino';
import { AuditLogModule } from './audit-log.module';
import { loadAuditLogConfig } from './config/audit-log.config';
import { serveConsole } from './http/console-assets';

async function main(): Promise<void> {
  const config = loadAuditLogConfig();
  @Module({ imports: [AuditLogModule.forRoot(config)] })
  class AppModule {}
  const app = await createServiceApp(AppModule, { name: 'audit-log' });
  serveConsole(app, config.SURGE_CONSOLE_DIR);
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`audit-log listening on ${await app.getUrl()}`, 'Bootstrap');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
