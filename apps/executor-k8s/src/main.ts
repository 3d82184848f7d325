import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

void runExecutorApp('executor-k8s', 8083, () => new ExecutorRegistry().register(new KubernetesScaleAdapter()));
