import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { bootstrapService, exitOnBootFailure } from '@surge/service-kit';
import { loadNotifierConfig } from './config/notifier.config';
import { NotifierModule } from './notifier.module';

async function main(): Promise<void> {
  const config = loadNotifierConfig();
  @Module({ imports: [NotifierModule.forRoot(config)] })
  class AppModule {}
  await bootstrapService(AppModule, { name: 'notifier', port: config.PORT, host: config.HOST });
}

main().catch((error: unknown) => exitOnBootFailure(error));
