import 'reflect-metadata';
import { bootstrapService, exitOnBootFailure } from '@surge/service-kit';
import { AppModule } from './app.module';
import { trustProxyOf } from './config/edge-env';
import { loadVirtualQueueConfig } from './config/virtual-queue.config';

async function main(): Promise<void> {
  const config = loadVirtualQueueConfig();
  await bootstrapService(AppModule.forRoot(config) as never, {
    name: 'virtual-queue',
    port: config.PORT,
    host: config.HOST,
    trustProxy: trustProxyOf(config),
  });
}

main().catch((error: unknown) => exitOnBootFailure(error, (e) => (e instanceof Error ? e.message : String(e))));
