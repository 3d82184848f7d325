import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import { launchHeadlessChromium, repoRoot } from '@surge/harness';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionFixture, decisionFixture } from '../testing/audit-fixtures';
import { type AuditProcess, startAuditProcess, uniqueTopicEnv } from '../testing/audit-process';
import { TEST_ADMIN_TOKEN } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

describe('operator console in Debian chromium (audit-log process, real Kafka and PostgreSQL)', () => {
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(`console-${suffix}`);
  const artifacts = path.join(repoRoot(), 'test-artifacts');
  let db: TestDatabase;
  let audit: AuditProcess;
  let browser: Browser;
  let page: Page;
  let producer: SurgeProducer;

  beforeAll(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    db = await createTestDatabase();
    const kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: `console-e2e-${suffix}` });
    await ensureTopics(kafka, Object.values(topicEnv), 1);
    producer = new SurgeProducer(kafka);
    await producer.connect();
    audit = await startAuditProcess(
      {
        ...topicEnv,
        DATABASE_URL: db.url,
        SURGE_AUDIT_SCHEMA: 'audit_console',
        SURGE_AUDIT_GROUP_ID: `console-e2e-${suffix}`,
        SURGE_TOPIC_PARTITIONS: '1',
      },
      `console-e2e-${suffix}`,
    );
    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await audit?.stop();
    await db?.drop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `console-${name}.png`), fullPage: true });

  it('signs in, shows a decision and its action live, opens the explanation, and audits a pause', async () => {
    await page.goto(audit.url);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid=live]', { hasText: 'live' }).waitFor({ timeout: 15_000 });

    const decisionId = `dec-${suffix}-0001`;
    await producer.sendJson(
      topicEnv['SURGE_TOPIC_DECISIONS']!,
      'shop/checkout',
      decisionFixture(decisionId, 'shop/checkout'),
    );
    await producer.sendJson(
      topicEnv['SURGE_TOPIC_ACTIONS']!,
      'shop/checkout',
      actionFixture(decisionId, 'shop/checkout'),
    );
    await producer.sendJson(topicEnv['SURGE_TOPIC_QUEUE_EVENTS']!, 'sale', {
      schemaVersion: 1,
      room: 'sale',
      type: 'admissions',
      time: Date.now(),
      waiting: 1200,
      active: 300,
      admitted: 150,
      intervalMs: 10_000,
      oldestWaitMs: 95_000,
      mode: 'queue',
    });

    await producer.sendJson(topicEnv['SURGE_TOPIC_DEADLETTER']!, 'shop/checkout', {
      schemaVersion: 1,
      reason: 'schema-violation',
      error: 'samples.0.value: must be a finite number',
      consumerGroup: 'rules-engine',
      source: { topic: 'surge.metrics.samples', partition: 0, offset: '7' },
      key: 'shop/checkout',
      valueBase64: Buffer.from('{}').toString('base64'),
      attempts: 1,
      time: Date.now(),
    });

    const decisionItem = page.locator(`[data-testid=timeline-decision][data-decision="${decisionId}"]`);
    await decisionItem.waitFor({ timeout: 20_000 });
    await page.locator(`[data-testid=timeline-action][data-decision="${decisionId}"]`).waitFor({ timeout: 20_000 });
    expect(await decisionItem.textContent()).toContain('shop/checkout replicas 3 → 6');
    await expect.poll(() => page.locator('[data-testid=target-card]').textContent()).toContain('current 6 → desired 6');
    await expect.poll(() => page.locator('[data-testid=room-row]').textContent()).toContain('900');
    await expect.poll(() => page.getByTestId('deadletter-count').textContent()).toBe('1');
    expect(await page.locator('#dl-recent').textContent()).toContain('schema-violation');
    await shot('timeline');

    await decisionItem.click();
    await page.locator('[data-testid=explanation-summary]', { hasText: 'cpu 90% over target 60%' }).waitFor();
    expect(await page.locator('[data-testid=explanation-constraints]').textContent()).toContain(
      'scaleUp.maxChangePerPeriod',
    );
    expect(await page.locator('[data-testid=explanation-actions]').textContent()).toContain('applied');
    await shot('explanation');

    await page.getByTestId('pause').click();
    await page
      .locator('[data-testid=control-event]', { hasText: 'pause (global) by admin' })
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('global-state').textContent()).toContain('paused');
    await shot('paused');

    const audited = await fetch(`${audit.url}/v1/audit/events?type=control.pause`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    const body = (await audited.json()) as { events: { payload: { actor: string } }[] };
    expect(body.events.map((e) => e.payload.actor)).toEqual(['admin']);
  });

  it('shows a plan step with its whole run, each step with its result', async () => {
    const runId = `p-run-${suffix}`;
    const plan = (step: number) => ({
      runId,
      policyTarget: 'shop/checkout',
      rule: 'p95-degradation',
      step,
      phase: 'apply',
    });
    const first = { ...decisionFixture(`plan-${suffix}-0`, 'shop/checkout'), plan: plan(0) };
    const second = {
      ...decisionFixture(`plan-${suffix}-1`, 'db/pool'),
      setting: 'default_pool_size',
      from: 20,
      to: 60,
      plan: plan(1),
    };
    await producer.sendJson(topicEnv['SURGE_TOPIC_DECISIONS']!, 'shop/checkout', first);
    await producer.sendJson(topicEnv['SURGE_TOPIC_ACTIONS']!, 'shop/checkout', {
      ...actionFixture(first.decisionId, 'shop/checkout'),
      plan: plan(0),
    });
    await producer.sendJson(topicEnv['SURGE_TOPIC_DECISIONS']!, 'db/pool', second);

    const item = page.locator(`[data-testid=timeline-decision][data-decision="${second.decisionId}"]`);
    await item.waitFor({ timeout: 20_000 });
    expect(await item.textContent()).toContain('plan p95-degradation step 2: db/pool default_pool_size 20 → 60');
    await item.click();
    const run = page.locator('[data-testid=explanation-plan-run]');
    await run.waitFor({ timeout: 10_000 });
    await expect.poll(() => run.locator('tbody tr').count()).toBe(2);
    const rows = await run.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('applied');
    expect(rows[1]).toContain('db/pool');
    expect(rows[1]).toContain('awaiting result');
    await shot('plan-run');
  });

  it('shows a failed verification with its before and after figures, and the rollback it caused', async () => {
    const runId = `p-rollback-${suffix}`;
    const verification = {
      status: 'failed',
      expr: 'http_p95_ms < before_http_p95_ms',
      checkedAt: Date.now(),
      before: { before_http_p95_ms: 900 },
      after: { http_p95_ms: 3100 },
    };
    const plan = (phase: string, extra = {}) => ({
      runId,
      policyTarget: 'shop/rb',
      rule: 'slow',
      step: 0,
      phase,
      ...extra,
    });
    const applied = { ...decisionFixture(`rb-${suffix}-0`, 'shop/rb'), from: 6, to: 10, plan: plan('apply') };
    const rollback = {
      ...decisionFixture(`rb-${suffix}-1`, 'shop/rb'),
      from: 10,
      to: 6,
      direction: 'down',
      plan: plan('revert', { verification }),
    };
    await producer.sendJson(topicEnv['SURGE_TOPIC_DECISIONS']!, 'shop/rb', applied);
    await producer.sendJson(topicEnv['SURGE_TOPIC_ACTIONS']!, 'shop/rb', {
      ...actionFixture(applied.decisionId, 'shop/rb'),
      plan: plan('apply'),
    });
    await producer.sendJson(topicEnv['SURGE_TOPIC_DECISIONS']!, 'shop/rb', rollback);

    const item = page.locator(`[data-testid=timeline-decision][data-decision="${rollback.decisionId}"]`);
    await item.waitFor({ timeout: 20_000 });
    expect(await item.textContent()).toContain('plan slow step 1 (rollback): shop/rb replicas 10 → 6');
    await item.click();
    const run = page.locator('[data-testid=explanation-plan-run]');
    await run.waitFor({ timeout: 10_000 });
    await expect.poll(() => run.locator('tbody tr').count()).toBe(3);
    const rows = await run.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('apply');
    expect(rows[1]).toContain('verify');
    expect(rows[1]).toContain('failed');
    expect(rows[2]).toContain('rollback');
    const figures = await page.locator('[data-testid=plan-verification] tbody tr').allTextContents();
    expect(figures).toEqual(['http_p95_ms9003100']);
    await shot('plan-rollback');
  });

  it('signs out: the session ends on the server, so the cookie the browser had opens nothing', async () => {
    await expect.poll(() => page.getByTestId('operator').textContent()).toBe('admin (admin)');
    const [session] = (await page.context().cookies()).filter((c) => c.name === 'surge_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    await page.getByTestId('signout').click();
    await page.locator('#signin').waitFor({ state: 'visible', timeout: 10_000 });
    const replayed = await fetch(`${audit.url}/v1/audit/events?limit=1`, {
      headers: { cookie: `surge_session=${session!.value}` },
    });
    expect(replayed.status).toBe(401);
  });
});
