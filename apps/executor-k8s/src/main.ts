import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

runExecutorApp('executor-k8s', 8083, () => new ExecutorRegistry().register(new KubernetesScaleAdapter())).catch(
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
