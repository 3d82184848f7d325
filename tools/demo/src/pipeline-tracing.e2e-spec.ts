import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeApiStandIn } from '@surge/executor-framework/testing';
import {
  freePort,
  repoRoot,
  type RunningService,
  runTopicEnv,
  SERVICES,
  signingEnvOf,
  startService,
  stopService,
  waitFor,
} from '@surge/harness';
import { testSigningKeys } from '@surge/signing/testing';
import { OtlpReceiver } from '@surge/tracing/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * One decision followed across the pipeline: a sample posted to metrics-ingest with a W3C traceparent, the rules
 * engine deciding from it, executor-k8s applying the decision to the Kubernetes stand-in. The three services run
 * from dist as processes on the run's own topics, each exporting spans over OTLP/HTTP to a receiver in this test.
 * Also the end-to-end spec of the kafka4 tier: the same chain on Kafka 4.1.
 */
const run = randomBytes(4).toString('hex');
const topics = runTopicEnv(`test.tracing.${run}`);
const TRACE_ID = randomBytes(16).toString('hex');
const CLIENT_SPAN = randomBytes(8).toString('hex');
const TOKEN = randomBytes(24).toString('base64url');
const POLICY = `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: tracing-web }
spec:
  target: { id: shop/web, kind: Deployment, namespace: shop, name: web }
  minReplicas: 1
  maxReplicas: 10
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`;
const TARGETS = `namespaces: [shop]
targets:
  - { id: shop/web, kind: Deployment, connection: { env: E2E_KUBECONFIG }, bounds: { min: 1, max: 10 } }
`;

describe('a decision traced from the ingest request to the action result', () => {
  const receiver = new OtlpReceiver();
  const api = new KubeApiStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-tracing-'));
  const services = new Map<string, RunningService>();

  const start = async (name: string, env: NodeJS.ProcessEnv) => {
    const spec = SERVICES.find((s) => s.name === name)!;
    const service = await startService(repoRoot(), name, spec.entry, await freePort(), {
      ...env,
      ...signingEnvOf(spec, testSigningKeys()),
    });
    services.set(name, service);
    return service;
  };

  beforeAll(async () => {
    await receiver.start();
    await api.start();
    api.addWorkload('shop', 'Deployment', 'web', 2);
    fs.mkdirSync(path.join(dir, 'policies'));
    fs.writeFileSync(path.join(dir, 'policies', 'web.yaml'), POLICY);
    fs.writeFileSync(path.join(dir, 'targets.yaml'), TARGETS);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...topics,
      SURGE_TOPIC_PARTITIONS: '1',
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    };
    // Started together: on two shared cores one after the other would take most of the test's time.
    await Promise.all([
      start('metrics-ingest', { ...env, SURGE_INGEST_TOKEN: TOKEN }),
      start('rules-engine', {
        ...env,
        SURGE_POLICIES_DIR: path.join(dir, 'policies'),
        SURGE_RULES_GROUP_ID: `test-tracing-rules-${run}`,
        SURGE_RULES_REDIS_PREFIX: `test:tracing:${run}:rules:`,
      }),
      start('executor-k8s', {
        ...env,
        E2E_KUBECONFIG: fs.readFileSync(api.writeKubeconfig(), 'utf8'),
        SURGE_TARGETS_FILE: path.join(dir, 'targets.yaml'),
        SURGE_EXECUTOR_GROUP: `test-tracing-k8s-${run}`,
        SURGE_EXECUTOR_KEY_PREFIX: `test:tracing:${run}:k8s`,
        SURGE_OBSERVE_INTERVAL_MS: '1000',
      }),
    ]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((service) => stopService(service)));
    await api.stop();
    await receiver.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports spans of ingest, rules engine and executor in one trace, each the child of the one before', async () => {
    // The engine decides from the replicas the executor observed: wait until it has them.
    const engine = services.get('rules-engine')!.url;
    await waitFor(
      async () => /surge_rules_observed_states_total [1-9]/.test(await (await fetch(`${engine}/metrics`)).text()),
      {
        what: 'the observed replicas in the rules engine',
        fix: 'see the service logs under .surge/logs',
        timeoutMs: 30_000,
      },
    );

    const response = await fetch(`${services.get('metrics-ingest')!.url}/v1/samples`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`,
      },
      body: JSON.stringify({
        samples: [{ target: 'shop/web', metric: 'cpu_utilization', value: 100, timestamp: Date.now() - 1000 }],
      }),
    });
    expect(response.status).toBe(202);

    const spanOf = (service: string) => receiver.trace(TRACE_ID).find((s) => s.serviceName === service);
    await waitFor(async () => ['metrics-ingest', 'rules-engine', 'executor-k8s'].every((s) => spanOf(s)), {
      what: 'spans of all three services',
      fix: 'see the service logs under .surge/logs',
      timeoutMs: 30_000,
    });
    const [ingest, evaluate, apply] = [spanOf('metrics-ingest')!, spanOf('rules-engine')!, spanOf('executor-k8s')!];
    expect(ingest).toMatchObject({ name: 'metrics-ingest accept', parentSpanId: CLIENT_SPAN, failed: false });
    expect(evaluate).toMatchObject({ name: 'rules-engine evaluate', parentSpanId: ingest.spanId, failed: false });
    expect(apply).toMatchObject({
      name: 'executor apply',
      parentSpanId: evaluate.spanId,
      failed: false,
      attributes: { 'surge.target': 'shop/web', 'surge.result_status': 'applied' },
    });
    // 2 replicas at 100% for a 50% target: 4.
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(4);

    // The action result carries the executor's span on, for whatever reads the actions topic next.
    const result = await firstActionResult(String(apply.attributes['surge.decision_id']));
    expect(result.traceparent).toBe(`00-${TRACE_ID}-${apply.spanId}-01`);
    expect(result.status).toBe('applied');
  }, 120_000);
});

async function firstActionResult(decisionId: string): Promise<{ status: string; traceparent: string }> {
  const kafka = new Kafka({
    brokers: process.env['KAFKA_BROKERS']!.split(','),
    clientId: `test-tracing-${run}`,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `test-tracing-reader-${run}` });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.SURGE_TOPIC_ACTIONS, fromBeginning: true });
  try {
    return await new Promise((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const result = JSON.parse(String(message.value)) as { decisionId: string; status: string };
            if (result.decisionId === decisionId)
              resolve({ status: result.status, traceparent: String(message.headers?.['traceparent'] ?? '') });
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
