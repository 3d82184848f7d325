import 'reflect-metadata';
import { bootstrapService } from '@surge/service-kit';
import { AppModule } from './app.module';
import { loadVirtualQueueConfig } from './config/virtual-queue.config';

async function main(): Promise<void> {
  const config = loadVirtualQueueConfig();
  await bootstrapService(AppModule.forRoot(config) as never, {
    name: 'virtual-queue',
    port: config.PORT,
    host: config.HOST,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
