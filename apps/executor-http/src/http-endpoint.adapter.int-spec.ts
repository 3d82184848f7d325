import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_ERROR_EXIT_CODE } from '@surge/config';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed } from '@surge/executor-framework/testing';
import { freePort, repoRoot, waitFor } from '@surge/harness';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpEndpointAdapter } from './http-endpoint.adapter';

const TOKEN = 'int-spec-shop-admin-7f3a9c2e5b1d4068';
const dir = mkdtempSync(path.join(tmpdir(), 'surge-executor-http-'));
const tokenFile = path.join(dir, 'shop-admin-token');
writeFileSync(tokenFile, `${TOKEN}\n`);

function endpointEntry(baseUrl: string) {
  return {
    id: 'shop/admin',
    kind: 'HttpEndpoint',
    baseUrl,
    connection: { secretFile: tokenFile },
    settings: {
      checkout_rate_limit: {
        method: 'PUT',
        path: '/admin/rate-limits/reserve',
        body: { limitPerSecond: '{{value}}' },
        read: { path: '/admin/rate-limits/reserve', pointer: '/limitPerSecond' },
      },
      degradation_mode: {
        path: '/admin/degradation',
        body: { level: '{{value}}' },
        read: { path: '/admin/degradation', pointer: '/level' },
      },
    },
    bounds: { checkout_rate_limit: { min: 10, max: 10000 }, degradation_mode: { min: 0, max: 2 } },
  };
}

describe('executor-http against the demo shop admin API', () => {
  const schema = `surge_http_shop_${process.pid}`;
  let shop: ChildProcess;
  let shopUrl: string;
  const admin = async (pathname: string, body?: unknown) =>
    (await (
      await fetch(`${shopUrl}${pathname}`, {
        method: body === undefined ? 'GET' : 'PUT',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json()) as Record<string, unknown>;

  beforeAll(async () => {
    const port = await freePort();
    shopUrl = `http://127.0.0.1:${port}`;
    // The built shop, as the LocalPool supervisor starts it (vitest's global setup builds the workspace).
    shop = spawn(process.execPath, [path.join(repoRoot(), 'dist/apps/demo-shop/src/main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        SURGE_SHOP_SCHEMA: schema,
        SURGE_SHOP_ADMIN_TOKEN: TOKEN,
        SURGE_QUEUE_URL: '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(async () => (await fetch(`${shopUrl}/health/ready`).catch(() => null))?.ok === true, {
      what: 'the demo shop',
      fix: 'see its output above',
      timeoutMs: 30_000,
      abortReason: () => (shop.exitCode === null ? undefined : `it exited with code ${shop.exitCode}`),
    });
  });

  afterAll(async () => {
    if (shop && shop.exitCode === null) {
      shop.kill('SIGTERM');
      await new Promise((resolve) => shop.once('exit', resolve));
    }
    const client = new Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets the shop rate limit from a decision, verified by read-back, and reports a replay duplicate', async () => {
    await admin('/admin/rate-limits/reserve', { limitPerSecond: 100 });
    const bed = new ExecutorTestBed();
    try {
      await bed.start();
      const adapter = new HttpEndpointAdapter({ baseUrls: new Map([['shop/admin', shopUrl]]), timeoutMs: 2000 });
      const catalog = new TargetCatalog(targetsFileSchema.parse({ targets: [endpointEntry(shopUrl)] }));
      await bed.startRuntime(new ExecutorRegistry().register(adapter), catalog);
      const decision = bed.decision({
        target: { kind: 'HttpEndpoint', id: 'shop/admin' },
        setting: 'checkout_rate_limit',
        direction: 'down',
        from: 100,
        to: 50,
      });
      await bed.produce(decision);
      const applied = await bed.waitFor('applied', () => bed.resultsFor(decision.decisionId)[0]);
      expect(applied).toMatchObject({ status: 'applied', before: 100, after: 50, verified: true, error: null });
      expect(await admin('/admin/rate-limits/reserve')).toEqual({ endpoint: 'reserve', limitPerSecond: 50 });

      // Changed behind Surge's back: a replay that applied again would put 50 back.
      await admin('/admin/rate-limits/reserve', { limitPerSecond: 70 });
      await bed.produce(decision);
      const again = await bed.waitFor('replay', () => bed.resultsFor(decision.decisionId)[1]);
      expect(again.status).toBe('duplicate');
      expect(await admin('/admin/rate-limits/reserve')).toEqual({ endpoint: 'reserve', limitPerSecond: 70 });
    } finally {
      await bed.stop();
    }
  });

  it('sets the degradation level, which turns the recommendations page off', async () => {
    const bed = new ExecutorTestBed();
    try {
      await bed.start();
      const adapter = new HttpEndpointAdapter({ baseUrls: new Map([['shop/admin', shopUrl]]), timeoutMs: 2000 });
      const catalog = new TargetCatalog(targetsFileSchema.parse({ targets: [endpointEntry(shopUrl)] }));
      await bed.startRuntime(new ExecutorRegistry().register(adapter), catalog);
      const decision = bed.decision({
        target: { kind: 'HttpEndpoint', id: 'shop/admin' },
        setting: 'degradation_mode',
        from: 0,
        to: 1,
      });
      await bed.produce(decision);
      const applied = await bed.waitFor('applied', () => bed.resultsFor(decision.decisionId)[0]);
      expect(applied).toMatchObject({ status: 'applied', before: 0, after: 1, verified: true });
      const page = await fetch(`${shopUrl}/recommendations`);
      expect(page.status).toBe(503);
      expect(await page.json()).toMatchObject({ error: 'degraded' });
    } finally {
      await admin('/admin/degradation', { level: 0 });
      await bed.stop();
    }
  });

  it('refuses at boot a target whose base URL is off the allowlist', async () => {
    const targetsFile = path.join(dir, 'targets.yaml');
    writeFileSync(targetsFile, JSON.stringify({ targets: [endpointEntry('http://10.255.0.1:8080')] }));
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(repoRoot(), 'dist/apps/executor-http/src/main.js')], {
        env: {
          PATH: process.env['PATH'] ?? '',
          // Nothing listens on port 1: an executor that got past its boot checks would keep retrying, not exit.
          KAFKA_BROKERS: '127.0.0.1:1',
          SURGE_SIGNING_OPEN: 'true',
          PORT: '0',
          HOST: '127.0.0.1',
          SURGE_TARGETS_FILE: targetsFile,
          SURGE_HTTP_ALLOWED_BASE_URLS: shopUrl,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('error', reject);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, stderr: err });
      });
    });
    expect(stderr).toContain(
      `shop/admin: baseUrl http://10.255.0.1:8080 is not in SURGE_HTTP_ALLOWED_BASE_URLS (${shopUrl})`,
    );
    expect(code).toBe(CONFIG_ERROR_EXIT_CODE);
  });
});
