import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAlertmanager, startLocalAlertmanager } from './alertmanager-local';

const alertsOf = async (am: LocalAlertmanager) =>
  (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];

describe('startLocalAlertmanager', () => {
  let am: LocalAlertmanager;

  beforeAll(async () => {
    am = await startLocalAlertmanager();
  });

  afterAll(async () => {
    await am?.stop();
  });

  it('takes alerts through the v2 API on its free loopback port, with clustering off', async () => {
    const status = (await (await fetch(`${am.url}/api/v2/status`)).json()) as { cluster: { status: string } };
    expect(status.cluster.status).toBe('disabled');
    const endsAt = new Date(Date.now() + 60_000).toISOString();
    const posted = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'HarnessCheck' }, annotations: {}, endsAt }]),
    });
    expect(posted.status).toBe(200);
    expect((await alertsOf(am)).map((a) => a.labels['alertname'])).toEqual(['HarnessCheck']);
  });

  it('comes back on the same address after kill -9', async () => {
    await am.kill9();
    await expect(fetch(`${am.url}/-/ready`)).rejects.toThrow();
    await am.restart();
    expect((await fetch(`${am.url}/-/ready`)).status).toBe(200);
  });
});
