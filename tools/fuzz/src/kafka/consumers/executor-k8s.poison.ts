import { randomUUID } from 'node:crypto';
import { testSigningEnv } from '@surge/signing/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { scaleDecision } from '@surge/contracts';
import {
  ExecutorAppModule,
  ExecutorRegistry,
  loadExecutorConfig,
  loadExecutorTargets,
} from '@surge/executor-framework';
import { KubeApiStandIn } from '@surge/executor-framework/testing';
import { createServiceApp } from '@surge/service-kit';
import { KubernetesScaleAdapter } from '../../../../../apps/executor-k8s/src/kubernetes-scale.adapter';
import { closeAll, controlTarget, liveness, type PoisonRun, type PoisonService } from './poison-run';

const APP = 'executor-k8s';
const READY_TIMEOUT_MS = 60_000;

/**
 * executor-k8s as its main.ts builds it (the executor framework: a decisions consumer and a control reader), against
 * the apps/v1 stand-in, the only stand-in Surge's tests allow. Its one target holds 2 replicas; the valid decision of
 * the run scales it to 3.
 */
export async function startExecutorPoison({ run, brokers, topics, topicEnv }: PoisonRun): Promise<PoisonService> {
  const closers: (() => Promise<void>)[] = [];
  try {
    const api = new KubeApiStandIn();
    await api.start();
    closers.push(() => api.stop());
    api.addWorkload('shop', 'Deployment', 'fuzz', 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-fuzz-k8s-'));
    closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const targetsFile = path.join(dir, 'targets.json');
    fs.writeFileSync(
      targetsFile,
      JSON.stringify({
        targets: [
          { id: 'shop/fuzz', kind: 'Deployment', connection: { env: 'FUZZ_KUBECONFIG' }, bounds: { min: 1, max: 20 } },
        ],
      }),
    );
    const group = `fuzz-k8s-${run}`;
    const env = {
      ...testSigningEnv('executor'),
      ...topicEnv,
      KAFKA_BROKERS: brokers,
      REDIS_URL: process.env.REDIS_URL,
      SURGE_TARGETS_FILE: targetsFile,
      SURGE_EXECUTOR_GROUP: group,
      SURGE_EXECUTOR_KEY_PREFIX: `fuzz:k8s:${run}`,
      SURGE_OBSERVE_INTERVAL_MS: '0',
      FUZZ_KUBECONFIG: fs.readFileSync(api.writeKubeconfig(), 'utf8'),
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
    };
    const config = loadExecutorConfig(APP, 0, env);
    const targets = loadExecutorTargets(config, env);
    const createRegistry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
    @Module({ imports: [ExecutorAppModule.forRoot({ appName: APP, config, targets, createRegistry })] })
    class ExecutorFuzzModule {}
    const app = await createServiceApp(ExecutorFuzzModule, { name: APP });
    closers.push(() => app.close());
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await ready(url);
    const alive = liveness(url);
    return {
      targets: [
        {
          consumer: 'executor-k8s decisions',
          topic: topics.decisions,
          groups: [group],
          schema: scaleDecision,
          signer: 'rules-engine',
          valid: () => ({
            schemaVersion: 1,
            decisionId: `dec-${randomUUID()}`,
            target: { kind: 'Deployment', id: 'shop/fuzz' },
            setting: 'replicas',
            from: 2,
            to: 3,
            direction: 'up',
            severity: 'info',
            dryRun: false,
            policy: 'fuzz',
            policyVersion: '1',
            eventTime: Date.now(),
            explanation: { summary: 'fuzz', trigger: { kind: 'rule', name: 'fuzz' }, final: 3, winner: 'fuzz' },
          }),
          alive,
        },
        controlTarget('executor-k8s', group, topics, alive),
      ],
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** The runtime starts in the background (control topic first, then decisions): poison is sent once it consumes. */
async function ready(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (response?.ok) return;
    if (Date.now() > deadline) throw new Error(`${APP} not ready within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
