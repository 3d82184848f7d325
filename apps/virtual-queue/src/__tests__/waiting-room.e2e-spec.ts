import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchHeadlessChromium, repoRoot } from '@surge/harness';
import { deleteKeys } from '../testing/delete-keys';
import { type QueueProcess, spawnQueueProcess } from '../testing/queue-process';

const ADMIN = 'e2e-admin-token-0123456789';
const PREFIX = `test:vq:${randomUUID()}:`;
const ARTIFACTS = path.join(repoRoot(), 'test-artifacts', 'virtual-queue');
let app: QueueProcess;
let base: string;
let browser: Browser;
let shop: http.Server;
let shopUrl: string;
const landed: string[] = [];

const admin = (method: string, p: string, body?: unknown) =>
  fetch(`${base}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const join = async () =>
  (await (
    await fetch(`${base}/v1/rooms/e2e/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { ticketId: string; status: string };

async function completeActive(ticketIds: string[]): Promise<void> {
  for (const id of ticketIds) {
    const response = await admin('POST', `/v1/admin/rooms/e2e/tickets/${id}/complete`);
    if (response.status === 200) return;
  }
  throw new Error(
    `nobody to complete: ${JSON.stringify(await (await admin('GET', '/v1/admin/rooms/e2e/stats')).json())}`,
  );
}

const shownPosition = (page: Page) => page.locator('#position').textContent();

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  shop = http.createServer((req, res) => {
    landed.push(req.url ?? '');
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>Checkout</title><h1>Checkout</h1>');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as { port: number }).port}/checkout`;
  app = await spawnQueueProcess({ SURGE_ADMIN_TOKEN: ADMIN, VQ_KEY_PREFIX: PREFIX, VQ_ADMIT_INTERVAL_MS: '100' });
  base = app.base;
  browser = await launchHeadlessChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  app?.stop();
  shop?.close();
  await deleteKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', [PREFIX]);
});

describe('waiting-room page in Chromium', () => {
  it('shows a falling position live, then redirects with a token that verifies; polling works without SSE', async () => {
    expect(
      (await admin('PUT', '/v1/admin/rooms/e2e', { maxActive: 1, admitPerMinute: 60_000, redirectUrl: shopUrl }))
        .status,
    ).toBe(200);
    const others = [];
    for (let i = 0; i < 3; i++) others.push((await join()).ticketId);

    const page = await browser.newPage();
    await page.goto(`${base}/rooms/e2e`);
    await page.waitForFunction(() => document.querySelector('#position')?.textContent === '3');
    // The identity is the HttpOnly cookie: a reload rejoins as the same visitor, in the same place.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'surge_vq_visitor');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('surge_vq_visitor');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#position')?.textContent === '3');
    expect(await page.getByRole('status').textContent()).toBe('You are number 3 in line.');
    expect(await page.getByText('Your place in line').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, '1-position-3.png') });

    const seen = ['3'];
    for (const expected of ['2', '1']) {
      await completeActive(others);
      await page.waitForFunction((want) => document.querySelector('#position')?.textContent === want, expected);
      seen.push((await shownPosition(page))!);
      await page.screenshot({ path: path.join(ARTIFACTS, `2-position-${expected}.png`) });
    }
    expect(seen).toEqual(['3', '2', '1']);

    // A second visitor without EventSource falls back to polling.
    const polling = await browser.newPage();
    await polling.addInitScript(() => delete (window as { EventSource?: unknown }).EventSource);
    await polling.goto(`${base}/rooms/e2e`);
    await polling.waitForFunction(() => document.querySelector('#position')?.textContent === '2');

    await completeActive(others);
    await page.waitForURL(/\/checkout\?token=/, { timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, '3-redirected-to-checkout.png') });
    const token = new URL(page.url()).searchParams.get('token')!;
    const verdict = await (
      await fetch(`${base}/v1/tokens/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, room: 'e2e', audience: new URL(shopUrl).origin }),
      })
    ).json();
    expect(verdict).toMatchObject({ valid: true, claims: { room: 'e2e', aud: new URL(shopUrl).origin } });

    await polling.waitForFunction(() => document.querySelector('#position')?.textContent === '1', undefined, {
      timeout: 15_000,
    });
    await polling.screenshot({ path: path.join(ARTIFACTS, '4-polling-position-1.png') });
    await admin(
      'POST',
      `/v1/admin/rooms/e2e/tickets/${(verdict as { claims: { ticket: string } }).claims.ticket}/complete`,
    );
    await polling.waitForURL(/\/checkout\?token=/, { timeout: 15_000 });
    expect(landed.filter((u) => u.startsWith('/checkout?token=')).length).toBe(2);
    expect(fs.readdirSync(ARTIFACTS).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(5);
  });
});
