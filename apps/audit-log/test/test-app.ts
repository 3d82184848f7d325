import { resolveTopics } from '@surge/contracts';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@surge/service-kit';
import { AuditLogModule } from '../src/audit-log.module';
import { type AuditLogConfig, loadAuditLogConfig } from '../src/config/audit-log.config';
import { serveConsole } from '../src/http/console-assets';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export function testConfig(overrides: Record<string, string>): AuditLogConfig {
  return loadAuditLogConfig({
    ...process.env,
    SURGE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
}

/** The audit-log app in-process, listening on a free port, as main.ts builds it. */
export async function startTestApp(
  config: AuditLogConfig,
  topicEnv: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  @Module({ imports: [AuditLogModule.forRoot(config, resolveTopics({ ...process.env, ...topicEnv }))] })
  class TestAppModule {}
  const app = await createServiceApp(TestAppModule, { name: 'audit-log-test' });
  serveConsole(app, config.SURGE_CONSOLE_DIR);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
