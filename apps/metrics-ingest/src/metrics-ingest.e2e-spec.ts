import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { pushTimeseries } from 'prometheus-remote-write';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ERROR_EXIT_CODE } from '@surge/config';
import { brokersFromEnv, postJson, readTopic, testToken, uniqueTopic } from './testing/ingest-test-app';

const root = path.resolve(__dirname, '../../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The built app as `npm start` runs it (the test runner builds first): its own process, env config, JSON logs.
describe('metrics-ingest as a process', () => {
  const topic = uniqueTopic('e2e');
  let child: ChildProcess;
  let url: string;
  let stdout = '';
  const token = testToken();
  const auth = { authorization: `Bearer ${token}` };

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [path.join(root, 'dist/apps/metrics-ingest/src/main.js')], {
      env: {
        ...process.env,
        KAFKA_BROKERS: brokersFromEnv().join(','),
        PORT: String(port),
        HOST: '127.0.0.1',
        SURGE_TOPIC_SAMPLES: topic,
        SURGE_INGEST_TOKEN: token,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`metrics-ingest did not become ready:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('takes a JSON batch and a remote-write payload into Kafka', async () => {
    const t = Date.now() - 5000;
    const json = await postJson(
      `${url}/v1/samples`,
      {
        samples: [{ target: 'shop/api', metric: 'rps', value: 1, timestamp: t }],
      },
      auth,
    );
    expect(json.status).toBe(202);
    const pushed = await pushTimeseries(
      { labels: { __name__: 'queue_depth', surge_target: 'queues/orders' }, samples: [{ value: 9, timestamp: t }] },
      {
        url: `${url}/api/v1/write`,
        headers: auth,
        fetch: (target, init) => fetch(target, { ...init, body: init?.body as BodyInit }) as never,
      },
    );
    expect(pushed.status).toBe(204);
    const messages = await readTopic(brokersFromEnv(), topic, 2);
    expect(
      messages.map((m) => [m.key, (m.value as { samples: { value: number }[] }).samples.map((s) => s.value)]).sort(),
    ).toEqual([
      ['queues/orders', [9]],
      ['shop/api', [1]],
    ]);
  });

  it('logs JSON only and stops on SIGTERM', async () => {
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.some((line) => JSON.parse(line).msg?.includes('listening on'))).toBe(true);
  });
});

describe('metrics-ingest without a credential', () => {
  async function start(extra: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: brokersFromEnv().join(','),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SURGE_TOPIC_SAMPLES: uniqueTopic('nocred'),
      ...extra,
    };
    for (const name of ['SURGE_INGEST_TOKEN', 'SURGE_INGEST_TOKENS_FILE', 'SURGE_INGEST_OPEN'])
      if (!(name in extra)) delete env[name];
    const child = spawn(process.execPath, [path.join(root, 'dist/apps/metrics-ingest/src/main.js')], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    return { code, stderr };
  }

  it('refuses to start, saying what to set', async () => {
    const { code, stderr } = await start({});
    expect(code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(stderr).toContain('metrics-ingest has no credential: set SURGE_INGEST_TOKENS_FILE');
  });

  it('refuses to start with a placeholder token, as a Secret left unfilled would give', async () => {
    const { code, stderr } = await start({ SURGE_INGEST_TOKEN: 'change-me-to-a-random-token-of-32-bytes' });
    expect(code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(stderr).toContain('SURGE_INGEST_TOKEN looks like a placeholder');
  });
});
