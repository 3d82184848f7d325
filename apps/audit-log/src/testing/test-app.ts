import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@surge/service-kit';
import { testSigningEnv } from '@surge/signing/testing';
import { type AuditLogConfig, loadAuditLogConfig } from '../config/audit-log.config';
import { ConsoleHostModule } from '../console-host.module';
import { AuditStartupService } from '../audit-startup.service';
import { serveConsole } from '../http/console-assets';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export function testConfig(overrides: Record<string, string>): AuditLogConfig {
  return loadAuditLogConfig({
    ...process.env,
    // The control plane it hosts signs control events with the control plane's test key.
    ...testSigningEnv('control-plane'),
    SURGE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
}

/** The console's host (audit log and control plane) in-process, listening on a free port, as main.ts builds it; `topicEnv` renames topics. */
export async function startTestApp(
  config: AuditLogConfig,
  topicEnv: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  // SURGE_TOPIC_* values are plain strings in the parsed config too, so they override it as they are.
  @Module({ imports: [ConsoleHostModule.forRoot({ ...config, ...topicEnv })] })
  class TestAppModule {}
  const app = await createServiceApp(TestAppModule, { name: 'audit-log' });
  serveConsole(app, config.SURGE_CONSOLE_DIR);
  await app.listen(0, '127.0.0.1');
  // The schema and consumer start in the background (an outage at boot is waited out); tests begin once they have.
  await app.get(AuditStartupService).whenStarted();
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
