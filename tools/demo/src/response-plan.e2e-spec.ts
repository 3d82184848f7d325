import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PlanVerification } from '@surge/contracts';
import { type LocalAlertmanager, repoRoot, runTopicEnv, startLocalAlertmanager, waitFor } from '@surge/harness';
import { Kafka } from 'kafkajs';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotifier } from '../../../apps/notifier/src/testing/test-notifier';
import { startWebhookReceiver, type WebhookReceiver } from '../../../apps/notifier/src/testing/webhook-receiver';
import { isolatedRunEnv } from '../../start/src/testing/isolated-run-env';
import { SteadyLoad } from './steady-load';

interface AuditEvent {
  type: string;
  status: string | null;
  time: string;
  payload: {
    target: { id: string };
    setting: string;
    from: number;
    to: number;
    labels?: Record<string, string>;
    explanation?: { summary: string };
    plan?: { runId: string; rule: string; step: number; phase: string; verification?: PlanVerification };
  };
}
interface PlanRun {
  rule: string;
  steps: { step: number; phase: string; decision: AuditEvent | null; status: string | null }[];
  verification: PlanVerification | null;
  alerts: AuditEvent[];
}

const TOKEN = 'response-plan-admin-token-0123456789';
const SHOP_ADMIN_TOKEN = 'response-plan-shop-admin-0123456789';
const run = `rp${randomUUID().slice(0, 8)}`;
const topics = runTopicEnv(`test.response-plan.${run}`);
const QUIET_PER_SECOND = 4;
const SURGE_PER_SECOND = 24;

/**
 * The demo's response plan (examples/demo/shop.yaml, rule `overloaded`) closed-loop, end to end: `npm start`
 * runs every service with that policy alone; page views drive the shop's load model (one copy serves 16 pages/s,
 * the surge is 24, 3 copies absorb it, and shedding recommendations makes each page cheaper), so the p95 the proxy
 * measures, and nothing a test publishes, is what the plan answers. Its notifications go through a notifier and
 * a private Alertmanager to a webhook receiver; every assertion reads the audit API.
 * A: a surge scales the shop, sheds, notifies, verifies, and recovers step by step once it is over.
 * B: the shop's fault (a share of pages fail whatever the capacity) makes the verification fail: a rollback.
 */
describe('the demo response plan, closed loop, through the audit API', () => {
  const root = repoRoot();
  const policies = mkdtempSync(path.join(tmpdir(), 'surge-response-plan-'));
  let start: ChildProcess;
  let output = '';
  let receiver: WebhookReceiver;
  let alertmanager: LocalAlertmanager;
  let notifier: { app: NestFastifyApplication; url: string };
  let load: SteadyLoad | undefined;
  const auditUrl = () => /surge: audit-log ready at (http:\/\/\S+)/.exec(output)?.[1] ?? '';
  const shopUrl = () => /ticket shop \(proxy\)\s+(http:\/\/[^/\s]+)/.exec(output)?.[1] ?? '';

  const get = async <T>(query: string): Promise<T> => {
    const res = await fetch(`${auditUrl()}${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (res.status !== 200) throw new Error(`${query}: ${res.status}`);
    return (await res.json()) as T;
  };
  const planRunsOf = async (): Promise<string[]> => {
    const page = await get<{ events: AuditEvent[] }>('/v1/audit/events?type=decision&target=demo/shop&limit=500');
    const ids = page.events.filter((e) => e.payload.plan?.rule === 'overloaded').map((e) => e.payload.plan!.runId);
    return [...new Set(ids)];
  };
  const planRun = (runId: string) => get<PlanRun>(`/v1/audit/plans/${encodeURIComponent(runId)}`);
  const until = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    let value: T | undefined;
    await waitFor(async () => (value = await read()) !== undefined, {
      what,
      fix: 'see the npm start output printed above',
      timeoutMs,
      intervalMs: 500,
      abortReason: () =>
        start.exitCode === null ? undefined : `npm start exited with ${start.exitCode}:\n${output.slice(-3000)}`,
    });
    return value!;
  };
  const moves = (planned: PlanRun, phase: string) =>
    planned.steps
      .filter((s) => s.phase === phase && s.decision)
      .map((s) => `${s.decision!.payload.setting} ${s.decision!.payload.from}→${s.decision!.payload.to} ${s.status}`);
  const fault = (errorPercent: number) =>
    fetch(`${shopUrl()}/admin/fault`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${SHOP_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ errorPercent }),
    }).then((res) => expect(res.status).toBe(200));

  beforeAll(async () => {
    copyFileSync(path.join(root, 'examples/demo/shop.yaml'), path.join(policies, 'shop.yaml'));
    receiver = await startWebhookReceiver();
    alertmanager = await startLocalAlertmanager({ webhookUrl: receiver.url, groupWait: '1s', groupInterval: '1s' });
    const admin = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: run }).admin();
    await admin.connect();
    await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
    await admin.disconnect();
    notifier = await startTestNotifier({
      ...topics,
      ALERTMANAGER_URL: alertmanager.url,
      SURGE_NOTIFIER_GROUP_ID: `${run}-test-notifier`,
      SURGE_NOTIFIER_REDIS_KEY: `${run}:test-notifier:firing`,
      SURGE_CONSOLE_URL: 'http://127.0.0.1:8080/',
    });
    start = spawn(process.execPath, [path.join(root, 'dist/tools/start/src/main.js')], {
      cwd: root,
      env: {
        ...process.env,
        ...topics,
        SURGE_POLICIES_DIR: policies,
        SURGE_ADMIN_TOKEN: TOKEN,
        SURGE_SHOP_ADMIN_TOKEN: SHOP_ADMIN_TOKEN,
        SURGE_START_FREE_PORTS: 'true',
        // The pipeline the plan goes through, and no more: the waiting room and the other executors stay off.
        SURGE_START_SERVICES: 'audit-log,metrics-ingest,rules-engine,local-pool,executor-localpool,executor-http',
        // A copy boots in a second or two, but on a loaded 2-core machine it has taken over 20 s (the default).
        SURGE_POOL_READY_TIMEOUT_MS: '60000',
        // The load model, slowed so a handful of pages per second overload one copy: 4 slots of 100 ms plus
        // 150 ms of recommendations serve 16 pages/s per copy, 40 with recommendations shed.
        SURGE_SHOP_SLOTS: '4',
        SURGE_SHOP_SERVICE_MS: '100',
        SURGE_SHOP_RECOMMENDATIONS_MS: '150',
        ...isolatedRunEnv(run),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until('npm start', async () => (output.includes('Surge is running.') ? true : undefined), 180_000);
    // At most 40 pages in flight (a visitor gives up beyond): the demo policy's inflight-backlog rule (50) is
    // not what this test is about.
    load = new SteadyLoad(`${shopUrl()}/events/${run}`, QUIET_PER_SECOND, 40).start();
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    if (start && start.exitCode === null) {
      const exited = new Promise((resolve) => start.once('exit', resolve));
      start.kill('SIGINT');
      await exited;
    }
    await notifier?.app.close();
    const redis = new Redis(process.env.REDIS_URL!);
    await redis.del(`${run}:test-notifier:firing`);
    await redis.quit();
    await alertmanager?.stop();
    await receiver?.close();
    rmSync(policies, { recursive: true, force: true });
  }, 60_000);

  // What npm start printed, when a test failed: which service said what.
  afterEach((context) => {
    if (context.task.result?.state === 'fail')
      process.stderr.write(`npm start output (tail):\n${output.slice(-4000)}\n`);
  });

  const ours = (alertname: string, status: string) => (a: { labels: Record<string, string>; status: string }) =>
    a.labels['alertname'] === alertname && a.labels['rule'] === 'overloaded' && a.status === status;

  it('A: a surge scales the shop, sheds, notifies, verifies, and recovers step by step', async () => {
    load!.setRate(SURGE_PER_SECOND);
    const runId = await until('the plan run of the surge', async () => (await planRunsOf())[0]);
    // The surge ends once the shop has its copies and has shed: the check then sees the quiet traffic served well.
    await until('both steps applied', async () => {
      const planned = await planRun(runId);
      return planned.steps.filter((s) => s.phase === 'apply' && s.status === 'applied').length === 2 || undefined;
    });
    load!.setRate(QUIET_PER_SECOND);
    const notified = await receiver.waitFor(ours('SurgePlanStep', 'firing'), 30_000);
    expect(notified.annotations['summary']).toMatch(/degradation_mode 0 → 1 on demo\/shop-admin/);

    const recovered = await until(
      'the recovery back to one copy',
      async () => {
        const planned = await planRun(runId);
        const last = planned.steps.at(-1);
        return last?.phase === 'revert' && last.decision?.payload.to === 1 && last.status === 'applied'
          ? planned
          : undefined;
      },
      90_000,
    );
    expect(moves(recovered, 'apply')).toEqual(['replicas 1→3 applied', 'degradation_mode 0→1 applied']);
    // Last step first, then the copies one at a time (`every`), each a decision with its own result.
    expect(moves(recovered, 'revert')).toEqual([
      'degradation_mode 1→0 applied',
      'replicas 3→2 applied',
      'replicas 2→1 applied',
    ]);
    const check = recovered.verification!;
    expect(check).toMatchObject({ status: 'passed', expr: 'http_p95_ms < before_http_p95_ms && error_rate < 0.02' });
    expect(check.before['before_http_p95_ms']).toBeGreaterThan(400);
    expect(check.after['http_p95_ms']).toBeLessThan(check.before['before_http_p95_ms']!);
    expect(check.after['error_rate']).toBeLessThan(0.02);
    for (const step of recovered.steps.filter((s) => s.phase === 'revert'))
      expect(step.decision!.payload.plan!.verification).toEqual(check);
    expect(recovered.alerts.map((a) => `${a.payload.labels!['alertname']} ${a.status}`)).toContain(
      'SurgePlanStep firing',
    );
  }, 150_000);

  it('B: with the shop failing whatever its capacity, the verification fails and the plan rolls back', async () => {
    const before = new Set(await planRunsOf());
    await fault(30);
    try {
      const runId = await until('the plan run of the failing shop', async () =>
        (await planRunsOf()).find((id) => !before.has(id)),
      );
      const rollback = await receiver.waitFor(ours('SurgePlanRollback', 'firing'), 60_000);
      expect(rollback.annotations['description']).toMatch(/error_rate < 0.02: false/);

      const rolledBack = await until('the rollback to one copy', async () => {
        const planned = await planRun(runId);
        const last = planned.steps.at(-1);
        return last?.phase === 'revert' && last.decision?.payload.to === 1 && last.status === 'applied'
          ? planned
          : undefined;
      });
      expect(moves(rolledBack, 'apply')).toEqual(['replicas 1→3 applied', 'degradation_mode 0→1 applied']);
      // Straight back, last step first: a rollback neither walks nor waits.
      expect(moves(rolledBack, 'revert')).toEqual(['degradation_mode 1→0 applied', 'replicas 3→1 applied']);
      const check = rolledBack.verification!;
      expect(check.status).toBe('failed');
      expect(check.after['error_rate']).toBeGreaterThan(0.02);
      expect(check.before['before_http_p95_ms']).toBeTypeOf('number');
      for (const step of rolledBack.steps.filter((s) => s.phase === 'revert')) {
        const decision = step.decision!.payload;
        expect(decision.plan!.verification).toEqual(check);
        expect(decision.explanation!.summary).toMatch(
          /verification failed \(http_p95_ms < before_http_p95_ms && error_rate < 0\.02: false \(.*error_rate 0\.\d+.*\)\); rolling back/,
        );
      }
      const alerts = rolledBack.alerts.map((a) => `${a.payload.labels!['alertname']} ${a.status}`);
      expect(alerts).toContain('SurgePlanRollback firing');
      expect(
        rolledBack.alerts.find((a) => a.payload.labels!['alertname'] === 'SurgePlanRollback')!.payload.plan,
      ).toMatchObject({ runId, verification: check });
    } finally {
      await fault(0);
    }
    // Rolled back while the shop kept failing, the alert fired until the failures stopped.
    await receiver.waitFor(ours('SurgePlanRollback', 'resolved'), 30_000);
  }, 120_000);
});
