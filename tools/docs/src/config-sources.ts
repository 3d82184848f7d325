import type { z } from 'zod';
import { auditLogEnv } from '../../../apps/audit-log/src/config/audit-log.config';
import { shopEnvSchema } from '../../../apps/demo-shop/src/shop.config';
import { httpExecutorEnv } from '../../../apps/executor-http/src/http-executor.config';
import { localPoolEnvSchema } from '../../../apps/local-pool/src/config/local-pool.config';
import { ingestEnv } from '../../../apps/metrics-ingest/src/config/ingest.config';
import { notifierEnv } from '../../../apps/notifier/src/config/notifier.config';
import { rulesEngineEnv } from '../../../apps/rules-engine/src/config/rules-engine.config';
import { virtualQueueConfigSchema } from '../../../apps/virtual-queue/src/config/virtual-queue.config';
import { executorEnvSchema } from '@surge/executor-framework';
import { demoEnvSchema } from '../../demo/src/demo.config';

/** Every app's environment schema, in the order the README documents them. */
export const CONFIG_SOURCES: { title: string; schema: z.ZodObject }[] = [
  { title: 'metrics-ingest', schema: ingestEnv },
  { title: 'rules-engine', schema: rulesEngineEnv },
  {
    title: 'executors (executor-k8s, executor-database, executor-cache, executor-localpool, executor-http)',
    schema: executorEnvSchema(8083),
  },
  { title: "executor-http (besides the executors' settings)", schema: httpExecutorEnv },
  { title: 'virtual-queue', schema: virtualQueueConfigSchema },
  { title: 'audit-log', schema: auditLogEnv },
  { title: 'notifier', schema: notifierEnv },
  { title: 'local-pool (the demo shop supervisor)', schema: localPoolEnvSchema },
  { title: 'demo-shop (one copy, started by local-pool)', schema: shopEnvSchema },
  { title: 'demo:surge', schema: demoEnvSchema },
];
