import { topicEnvFor } from '@surge/config';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { freePort, type LocalKafka, startLocalKafka } from '@surge/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSigningEnv } from '@surge/signing/testing';

const root = path.resolve(__dirname, '../../..');
const OUTAGE_MS = 5_000;

/**
 * The executor-k8s app as a process on a PRIVATE broker (the shared one is never killed): it boots while the broker
 * is down, and lives through a kill -9 of the broker with its observed-state ticks failing meanwhile. Before the
 * fix it exited at boot (code 1), and on Node 24 an unhandled rejection of a failed tick ended it mid-outage.
 */
describe('executor-k8s process through Kafka outages (private broker)', () => {
  const api = new KubeApiStandIn();
  let kafka: LocalKafka;
  let bed: ExecutorTestBed;
  let child: ChildProcess;
  let url: string;
  let output = '';

  const alive = () => child.exitCode === null && child.signalCode === null;
  const readiness = async () => {
    try {
      return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3_000) })).status;
    } catch {
      return 0;
    }
  };
  const applied = (decisionId: string) =>
    bed.waitFor(`the result of ${decisionId}`, () => bed.resultsFor(decisionId)[0], 45_000);

  /** The decision id of every record on the actions topic, read from the beginning by a group of its own. */
  const actionsOnTopic = async (): Promise<string[]> => {
    const admin = bed.kafka.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(bed.topics.actions);
    await admin.disconnect();
    const ids: string[] = [];
    const reader = bed.kafka.consumer({ groupId: `outage-reader-${bed.run}`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic: bed.topics.actions, fromBeginning: true });
    let last = -1;
    await reader.run({
      eachMessage: async ({ message }) => {
        ids.push(JSON.parse(message.value!.toString('utf8')).decisionId);
        last = Number(message.offset);
      },
    });
    await expect.poll(() => last, { timeout: 30_000 }).toBe(Number(end!.high) - 1);
    await reader.disconnect();
    return ids;
  };

  beforeAll(async () => {
    kafka = await startLocalKafka();
    bed = new ExecutorTestBed(1, kafka.brokers);
    await bed.start();
    await api.start();
    api.addWorkload('shop', 'Deployment', 'web', 2);
    const targetsFile = path.join(tmpdir(), `surge-outage-targets-${bed.run}.yaml`);
    writeFileSync(
      targetsFile,
      'namespaces: [shop]\ntargets:\n  - { id: shop/web, kind: Deployment, connection: { env: E2E_KUBECONFIG }, bounds: { min: 1, max: 10 } }\n',
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const t = bed.topics;
    const env = {
      ...process.env,
      KAFKA_BROKERS: kafka.brokers,
      PORT: String(port),
      HOST: '127.0.0.1',
      E2E_KUBECONFIG: readFileSync(api.writeKubeconfig(), 'utf8'),
      SURGE_TARGETS_FILE: targetsFile,
      ...testSigningEnv('executor'),
      SURGE_EXECUTOR_GROUP: `outage-${bed.run}`,
      SURGE_EXECUTOR_KEY_PREFIX: `outage:${bed.run}`,
      ...topicEnvFor(t),
      SURGE_TOPIC_PARTITIONS: '1',
      // Ticks during the outage: each one's publish fails, which must never end the process.
      SURGE_OBSERVE_INTERVAL_MS: '300',
    };
    // The broker is down before the executor starts: it must come up and wait, not exit.
    await kafka.kill9();
    child = spawn(process.execPath, [path.join(root, 'dist/apps/executor-k8s/src/main.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => void (output += chunk.toString('utf8'));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
  }, 120_000);

  afterAll(async () => {
    if (child && alive()) child.kill('SIGKILL');
    await bed?.stop().catch(() => undefined);
    await api.stop();
    await kafka?.stop();
  }, 60_000);

  it('boots and waits while the broker is down, then applies each decision once across a kill -9', async () => {
    await expect.poll(readiness, { timeout: 20_000, interval: 250 }).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(alive(), output.slice(-3000)).toBe(true);
    expect(await readiness()).toBe(503);
    await kafka.restart();
    await expect.poll(readiness, { timeout: 45_000, interval: 500 }).toBe(200);
    const first = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 4 });
    await bed.produce(first);
    expect(await applied(first.decisionId)).toMatchObject({ status: 'applied', after: 4 });
    await kafka.kill9();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(alive(), output.slice(-3000)).toBe(true);
    expect(await readiness()).toBe(503);

    await kafka.restart();
    // One at a time: in one batch the newer decision would supersede the older.
    const second = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 4, to: 6 });
    await bed.produce(second);
    expect(await applied(second.decisionId)).toMatchObject({ status: 'applied', after: 6 });
    const third = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 6, to: 7 });
    await bed.produce(third);
    expect(await applied(third.decisionId)).toMatchObject({ status: 'applied', after: 7 });
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(7);
    await expect.poll(readiness, { timeout: 45_000, interval: 500 }).toBe(200);
    // One result each, counted on the topic by a fresh reader (the bed's own reader may re-read after the outage),
    // and each change made once.
    const onTopic = await actionsOnTopic();
    for (const decision of [first, second, third])
      expect(onTopic.filter((id) => id === decision.decisionId)).toHaveLength(1);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
    expect(alive()).toBe(true);
  }, 180_000);
});
