import fs from 'node:fs';
import { testSigningEnv } from '@surge/signing/testing';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import {
  ACTION_RESULT_SCHEMA_VERSION,
  actionResult,
  METRIC_SAMPLE_SCHEMA_VERSION,
  observedState,
  sampleEnvelope,
} from '@surge/contracts';
import { createServiceApp } from '@surge/service-kit';
import { loadRulesEngineConfig } from '../../../../../apps/rules-engine/src/config/rules-engine.config';
import { RulesEngineModule } from '../../../../../apps/rules-engine/src/rules-engine.module';
import { observedReplicas } from '../../../../../apps/rules-engine/src/testing/observed-state';
import { controlTarget, liveness, type PoisonRun, type PoisonService } from './poison-run';

/** The rules engine: samples, observed state, action results and control events, each with a consumer of its own. */
export async function startRulesPoison({ run, topics, topicEnv }: PoisonRun): Promise<PoisonService> {
  const group = `fuzz-rules-${run}`;
  const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-fuzz-policies-'));
  const config = loadRulesEngineConfig({
    ...process.env,
    ...testSigningEnv('rules-engine'),
    ...topicEnv,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: group,
    SURGE_RULES_REDIS_PREFIX: `fuzz:rules:${run}:`,
    LOG_LEVEL: 'warn',
    PORT: '0',
  });
  @Module({ imports: [RulesEngineModule.forRoot(config)] })
  class RulesFuzzModule {}
  const app = await createServiceApp(RulesFuzzModule, { name: 'rules-engine' }).catch((error: unknown) => {
    fs.rmSync(policiesDir, { recursive: true, force: true });
    throw error;
  });
  const close = async () => {
    await app.close();
    fs.rmSync(policiesDir, { recursive: true, force: true });
  };
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await close();
    throw error;
  }
  const alive = liveness((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  return {
    targets: [
      {
        consumer: 'rules-engine samples',
        topic: topics.samples,
        groups: [group],
        schema: sampleEnvelope,
        valid: () => ({
          schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION,
          target: 'shop/fuzz',
          samples: [{ target: 'shop/fuzz', metric: 'cpu_utilization', value: 50, timestamp: Date.now() }],
        }),
        alive,
      },
      {
        consumer: 'rules-engine observed',
        topic: topics.observed,
        groups: [`${group}-observed`],
        schema: observedState,
        signer: 'executor',
        valid: () => JSON.parse(observedReplicas('shop/fuzz', 2, Date.now()).value) as Record<string, unknown>,
        alive,
      },
      {
        consumer: 'rules-engine actions',
        topic: topics.actions,
        groups: [`${group}-actions`],
        schema: actionResult,
        signer: 'executor',
        valid: () => ({
          schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
          decisionId: 'dec-fuzz',
          target: { kind: 'Deployment', id: 'shop/fuzz' },
          setting: 'replicas',
          status: 'applied',
          before: 2,
          after: 3,
          durationMs: 5,
          error: null,
          verified: true,
          executor: 'executor-k8s',
          time: Date.now(),
        }),
        alive,
      },
      controlTarget('rules-engine', group, topics, alive),
    ],
    close,
  };
}
