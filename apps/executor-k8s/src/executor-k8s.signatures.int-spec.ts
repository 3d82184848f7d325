import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { topicEnvFor } from '@surge/config';
import { ACTION_RESULT_SCHEMA_VERSION } from '@surge/contracts';
import {
  ExecutorAppModule,
  ExecutorRegistry,
  loadExecutorConfig,
  loadExecutorTargets,
} from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { createServiceApp } from '@surge/service-kit';
import { generateSigningKeyPair, MessageSigner, parsePrivateKey } from '@surge/signing';
import { testSigningEnv, testSigningKeys } from '@surge/signing/testing';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/**
 * The executor-k8s app as main.ts builds it (its Kafka module, its signing declaration), in-process, against the
 * apps/v1 stand-in and the real Kafka: whoever can produce to the decisions topic without the rules engine's key
 * changes nothing. The forger is a plain kafkajs producer.
 */
describe('executor-k8s refuses decisions the rules engine did not sign', () => {
  const api = new KubeApiStandIn();
  const bed = new ExecutorTestBed();
  let app: NestFastifyApplication;
  let url: string;
  let forger: Producer;
  const web = { kind: 'Deployment', id: 'shop/web' };
  const patches = () => api.requests.filter((r) => r.method === 'PATCH');

  beforeAll(async () => {
    await api.start();
    api.addWorkload('shop', 'Deployment', 'web', 2);
    await bed.start();
    const dir = mkdtempSync(path.join(tmpdir(), 'surge-signatures-'));
    const targetsFile = path.join(dir, 'targets.yaml');
    writeFileSync(
      targetsFile,
      'namespaces: [shop]\ntargets:\n  - { id: shop/web, kind: Deployment, connection: { env: SIGNED_KUBECONFIG }, bounds: { min: 1, max: 10 } }\n',
    );
    const env = {
      ...process.env,
      ...testSigningEnv('executor'),
      ...topicEnvFor(bed.topics),
      SIGNED_KUBECONFIG: readFileSync(api.writeKubeconfig(), 'utf8'),
      SURGE_TARGETS_FILE: targetsFile,
      SURGE_EXECUTOR_GROUP: `signatures-${bed.run}`,
      SURGE_EXECUTOR_KEY_PREFIX: `signatures:${bed.run}`,
      SURGE_TOPIC_PARTITIONS: '1',
      SURGE_OBSERVE_INTERVAL_MS: '0',
      LOG_LEVEL: 'error',
    };
    const config = loadExecutorConfig('executor-k8s', 0, env);
    const targets = loadExecutorTargets(config, env);
    @Module({
      imports: [
        ExecutorAppModule.forRoot({
          appName: 'executor-k8s',
          config,
          targets,
          createRegistry: () => new ExecutorRegistry().register(new KubernetesScaleAdapter()),
        }),
      ],
    })
    class Root {}
    app = await createServiceApp(Root, { name: 'executor-k8s' });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${url}/health/ready`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('executor-k8s not ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    forger = bed.kafka.producer();
    await forger.connect();
  }, 120_000);

  afterAll(async () => {
    await forger?.disconnect();
    await app?.close();
    await bed.stop();
    await api.stop();
  });

  it('answers an unsigned or forged decision with one rejected: signature result and leaves the target alone', async () => {
    const unsigned = bed.decision({ target: web, from: 2, to: 7 });
    const forged = bed.decision({ target: web, from: 2, to: 8 });
    const forgedValue = JSON.stringify(forged);
    // The rules engine's key id, with a key of the forger's own.
    const wrongKey = new MessageSigner(
      testSigningKeys().key('rules-engine').keyId,
      parsePrivateKey(generateSigningKeyPair().privateKeyPem),
    );
    await forger.send({
      topic: bed.topics.decisions,
      messages: [
        { key: web.id, value: JSON.stringify(unsigned) },
        { key: web.id, value: forgedValue, headers: wrongKey.headersFor(forgedValue) },
        { key: web.id, value: 'not even a decision' },
      ],
    });
    await bed.waitFor(
      'both refusals and the dead letter',
      () =>
        bed.resultsFor(unsigned.decisionId).length > 0 &&
        bed.resultsFor(forged.decisionId).length > 0 &&
        bed.deadLetters.length > 0,
      60_000,
    );

    for (const [decision, reason] of [
      [unsigned, 'unsigned'],
      [forged, 'bad-signature'],
    ] as const) {
      const results = bed.resultsFor(decision.decisionId);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
        status: 'rejected',
        reason: 'signature',
        error: `decision refused: ${reason} signature`,
        before: null,
        after: null,
        executor: 'executor-k8s',
      });
    }
    expect(bed.deadLetters.map((d) => d.reason)).toEqual(['signature']);
    expect(patches()).toEqual([]);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(2);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const topic = bed.topics.decisions;
    expect(metrics).toContain(`surge_signatures_refused_total{topic="${topic}",reason="unsigned"} 2`);
    expect(metrics).toContain(`surge_signatures_refused_total{topic="${topic}",reason="bad-signature"} 1`);
    // Paged as critical whatever the forger claimed; both refusals are one incident on shop/web's replicas.
    const alert = await bed.waitFor('the SurgeActionFailed alert', () => bed.alerts[0]);
    expect(alert).toMatchObject({
      status: 'firing',
      labels: { alertname: 'SurgeActionFailed', target: web.id, policy: '-', rule: '-', severity: 'critical' },
    });
    expect(new Set(bed.alerts.map((a) => a.alertId))).toEqual(new Set([alert.alertId]));
  }, 90_000);

  it('applies a decision the rules engine signed', async () => {
    const signed = bed.decision({ target: web, from: 2, to: 5 });
    await bed.produce(signed);
    const result = await bed.waitFor('the signed decision applied', () => bed.resultsFor(signed.decisionId)[0], 60_000);
    expect(result).toMatchObject({ status: 'applied', before: 2, after: 5 });
    expect(result).not.toHaveProperty('reason');
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(5);
    expect(patches()).toHaveLength(1);
    const resolved = await bed.waitFor('the resolve', () => bed.alerts.find((a) => a.status === 'resolved'));
    expect(resolved.alertId).toBe(bed.alerts[0]!.alertId);
  }, 90_000);
});
