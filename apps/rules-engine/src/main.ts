import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { bootstrapService, exitOnBootFailure } from '@surge/service-kit';
import { loadRulesEngineConfig } from './config/rules-engine.config';
import { RulesEngineModule } from './rules-engine.module';

async function main(): Promise<void> {
  const config = loadRulesEngineConfig();
  @Module({ imports: [RulesEngineModule.forRoot(config)] })
  class AppModule {}
  await bootstrapService(AppModule, { name: 'rules-engine', port: config.PORT, host: config.HOST });
}

main().catch((error: unknown) => exitOnBootFailure(error));
