import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@surge/service-kit';
import { testSigningEnv } from '@surge/signing/testing';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { RulesEngineModule } from '../rules-engine.module';

/**
 * A whole rules engine, as main.ts starts it, on a free port: the process environment (the infra's addresses),
 * the engine's signing keys, then the spec's own settings (its topics, policies, group and prefix) on top.
 */
export async function startEngineApp(env: Record<string, string | undefined>): Promise<NestFastifyApplication> {
  const config = loadRulesEngineConfig({
    ...process.env,
    ...testSigningEnv('rules-engine'),
    LOG_LEVEL: 'warn',
    ...env,
  });
  @Module({ imports: [RulesEngineModule.forRoot(config)] })
  class AppModule {}
  const engine = await createServiceApp(AppModule, { name: 'rules-engine' });
  await engine.listen(0, '127.0.0.1');
  return engine;
}
