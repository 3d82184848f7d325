import { Module } from '@nestjs/common';
import { bootstrapService } from '@surge/service-kit';
import { ExecutorAppModule, type ExecutorAppOptions } from './executor-app.module';
import { loadExecutorConfig } from './executor.config';

/** The whole main.ts of an executor app: validate the environment, then serve /metrics and /health while consuming. */
export async function runExecutorApp(
  appName: string,
  defaultPort: number,
  createRegistry: ExecutorAppOptions['createRegistry'],
): Promise<void> {
  const config = loadExecutorConfig(appName, defaultPort);
  @Module({ imports: [ExecutorAppModule.forRoot({ appName, config, createRegistry })] })
  class ExecutorRootModule {}
  await bootstrapService(ExecutorRootModule, { name: appName, port: config.PORT, host: config.HOST });
}
