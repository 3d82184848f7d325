import { Module } from '@nestjs/common';
import { bootstrapService, exitOnBootFailure } from '@surge/service-kit';
import { ExecutorAppModule, type ExecutorAppOptions } from './executor-app.module';
import { loadExecutorConfig, loadExecutorTargets } from './executor.config';

/** The whole main.ts of an executor app: validate the environment, then serve /metrics and /health while consuming. */
export async function runExecutorApp(
  appName: string,
  defaultPort: number,
  createRegistry: ExecutorAppOptions['createRegistry'],
): Promise<void> {
  try {
    const config = loadExecutorConfig(appName, defaultPort);
    const targets = loadExecutorTargets(config);
    @Module({ imports: [ExecutorAppModule.forRoot({ appName, config, targets, createRegistry })] })
    class ExecutorRootModule {}
    await bootstrapService(ExecutorRootModule, { name: appName, port: config.PORT, host: config.HOST });
  } catch (error) {
    exitOnBootFailure(error);
  }
}
