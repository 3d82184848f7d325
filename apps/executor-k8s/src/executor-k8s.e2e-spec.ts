import { topicEnvFor } from '@surge/config';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSigningEnv } from '@surge/signing/testing';

const root = path.resolve(__dirname, '../../..');

/** The executor-k8s app as a process: killed (SIGKILL) the instant its patch lands, then restarted. */
describe('executor-k8s process', () => {
  const api = new KubeApiStandIn();
  const bed = new ExecutorTestBed();
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  const logs = new Map<ChildProcess, string>();
  const start = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [path.join(root, 'dist/apps/executor-k8s/src/main.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        logs.set(child, output);
        if (output.includes('consuming')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`executor-k8s exited with ${code}:\n${output.slice(-3000)}`)));
    });
    return child;
  };

  beforeAll(async () => {
    await api.start();
    api.addWorkload('shop', 'Deployment', 'web', 2);
    await bed.start();
    const targetsFile = path.join(tmpdir(), `surge-e2e-targets-${bed.run}.yaml`);
    writeFileSync(
      targetsFile,
      'namespaces: [shop]\ntargets:\n  - { id: shop/web, kind: Deployment, connection: { env: E2E_KUBECONFIG }, bounds: { min: 1, max: 10 } }\n',
    );
    const t = bed.topics;
    env = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      E2E_KUBECONFIG: readFileSync(api.writeKubeconfig(), 'utf8'),
      SURGE_TARGETS_FILE: targetsFile,
      ...testSigningEnv('executor'),
      SURGE_EXECUTOR_GROUP: `e2e-${bed.run}`,
      SURGE_EXECUTOR_KEY_PREFIX: `e2e:${bed.run}`,
      ...topicEnvFor(t),
      SURGE_TOPIC_PARTITIONS: '1',
      SURGE_OBSERVE_INTERVAL_MS: '0',
    };
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await bed.stop();
    await api.stop();
  });

  it('applies exactly once when killed after the change landed and before the result and offset commit', async () => {
    const first = await start();
    api.onPatchStored = () => {
      api.onPatchStored = null;
      first.kill('SIGKILL');
    };
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 6 });
    await bed.produce(decision);
    await once(first, 'exit');
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(6);
    expect(bed.resultsFor(decision.decisionId)).toEqual([]);

    const second = await start();
    const result = await bed.waitFor('result after restart', () => bed.resultsFor(decision.decisionId)[0], 30_000);
    expect(result).toMatchObject({ status: 'applied', before: 6, after: 6, verified: true });
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);

    // SIGTERM: the app drains and leaves cleanly, and nothing more is reported for the decision.
    second.kill('SIGTERM');
    const [code, signal] = await once(second, 'exit');
    // Nest runs its shutdown hooks, then re-raises the signal: ending by SIGTERM after the hooks is the clean path.
    expect([code, signal]).toEqual([null, 'SIGTERM']);
    expect(logs.get(second)).toContain('stopping: finishing in-flight decisions');
    expect(bed.resultsFor(decision.decisionId)).toHaveLength(1);
  });
});
