import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@surge/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedRunEnv } from './testing/isolated-run-env';

interface AuditEvent {
  type: string;
  targetId: string | null;
  decisionId: string | null;
  status: string | null;
  payload: Record<string, unknown>;
}

const TOKEN = 'e2e-admin-token-0123456789abcdef';

/**
 * `npm start -- --demo` as a newcomer runs it, headless, on ports of its own and topics, keys and schemas of its
 * own: the whole pipeline plays a time-compressed flash sale, and the audit trail must show what happened.
 */
describe('npm start with the demo surge', () => {
  const root = repoRoot();
  const run = `e2e${process.pid}`;
  const summaryFile = path.join(mkdtempSync(path.join(tmpdir(), 'surge-start-')), 'summary.json');
  let start: ChildProcess;
  let output = '';
  // On free ports, the console's address is the one `npm start` prints.
  const auditUrl = () => /surge: audit-log ready at (http:\/\/\S+)/.exec(output)?.[1] ?? '';

  const audit = async (query: string): Promise<AuditEvent[]> => {
    const events: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const url = `${auditUrl()}/v1/audit/events?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { events: AuditEvent[]; nextCursor: string | null };
      events.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return events;
  };
  const decisionsFor = async (target: string) =>
    (await audit(`type=decision&target=${encodeURIComponent(target)}`)).map(
      (e) => e.payload as { from: number; to: number; direction: string },
    );

  beforeAll(() => {
    // Every topic and group of its own: another run on the same broker (a concurrent npm start) must neither feed
    // this one observed state nor join its audit, rules or queue groups and take their partitions.
    const topics = ['SAMPLES', 'DECISIONS', 'ACTIONS', 'QUEUE_EVENTS', 'DEADLETTER', 'CONTROL', 'OBSERVED'];
    start = spawn(process.execPath, [path.join(root, 'dist/tools/start/src/main.js'), '--demo'], {
      cwd: root,
      env: {
        ...process.env,
        ...Object.fromEntries(topics.map((t) => [`SURGE_TOPIC_${t}`, `${run}.${t.toLowerCase()}`])),
        SURGE_ADMIN_TOKEN: TOKEN,
        SURGE_START_FREE_PORTS: 'true',
        SURGE_DEMO_SCALE: '0.5',
        SURGE_DEMO_SUMMARY_FILE: summaryFile,
        ...isolatedRunEnv(run),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  afterAll(async () => {
    if (start.exitCode === null) {
      const exited = new Promise((resolve) => start.once('exit', resolve));
      start.kill('SIGINT');
      await exited;
    }
  });

  it('plays the sale, scales the shop up and back down, and records one final result per decision', async () => {
    await expect.poll(() => output, { timeout: 120_000, interval: 500 }).toContain('Surge is running.');
    expect(auditUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect.poll(() => existsSync(summaryFile), { timeout: 150_000, interval: 1000 }).toBe(true);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { buyers: { admitted: number } };
    expect(summary.buyers.admitted).toBeGreaterThan(0);

    // The shop rose during the rush, then came back down after the sale within the policy's bounds (1..6).
    await expect
      .poll(async () => (await decisionsFor('demo/shop')).some((d) => d.direction === 'down'), {
        timeout: 150_000,
        interval: 2000,
      })
      .toBe(true);
    const shop = await decisionsFor('demo/shop');
    expect(shop.some((d) => d.direction === 'up')).toBe(true);
    for (const d of shop) {
      expect(d.to).toBeGreaterThanOrEqual(1);
      expect(d.to).toBeLessThanOrEqual(6);
    }

    expect((await decisionsFor('demo/pgbouncer')).length).toBeGreaterThan(0);

    // The ticket room admitted buyers without ever holding more active sessions than its capacity.
    const queue = await audit('type=queue');
    const counted = queue.map((e) => e.payload as { active?: number; maxActive?: number; admitted?: number });
    expect(counted.reduce((sum, e) => sum + (e.admitted ?? 0), 0)).toBeGreaterThan(0);
    for (const e of counted)
      if (e.active !== undefined && e.maxActive !== undefined) expect(e.active).toBeLessThanOrEqual(e.maxActive);

    // Every decision an executor owns ends in exactly one final result, at most one of them applied.
    await new Promise((r) => setTimeout(r, 3000));
    const decisions = await audit('type=decision');
    const actions = await audit('type=action');
    const byDecision = new Map<string, string[]>();
    for (const a of actions) byDecision.set(a.decisionId!, [...(byDecision.get(a.decisionId!) ?? []), a.status!]);
    expect(decisions.length).toBeGreaterThan(2);
    for (const d of decisions) {
      const statuses = byDecision.get(d.decisionId!) ?? [];
      expect(statuses, `results of ${d.targetId} ${d.decisionId}`).toHaveLength(1);
      expect(statuses.filter((s) => s === 'applied').length).toBeLessThanOrEqual(1);
    }
    // The whole pipeline boots and plays a sale: on a loaded 2-core machine that outlasts the e2e tier's default.
  }, 420_000);

  it('stops everything it started on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    start.kill('SIGINT');
    expect(await exited).toBe(0);
    const health = await fetch(`${auditUrl()}/health/live`).then(
      () => 'answering',
      () => 'stopped',
    );
    expect(health).toBe('stopped');
  });
});
