import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@surge/service-kit';
import { loadNotifierConfig } from '../config/notifier.config';
import { NotifierModule } from '../notifier.module';
import { NotifierStartupService } from '../notifier-startup.service';

/** The notifier in-process on a free port, as main.ts builds it, with `env` over the test's environment. */
export async function startTestNotifier(
  env: Record<string, string>,
): Promise<{ app: NestFastifyApplication; url: string }> {
  const config = loadNotifierConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...env });
  @Module({ imports: [NotifierModule.forRoot(config)] })
  class TestNotifierModule {}
  const app = await createServiceApp(TestNotifierModule, { name: 'notifier-test' });
  await app.listen(0, '127.0.0.1');
  await app.get(NotifierStartupService).whenStarted();
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
