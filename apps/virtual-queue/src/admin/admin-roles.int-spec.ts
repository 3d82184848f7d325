import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';

const OPERATOR = 'otto-operator-token-0123456789ab';
const ADMIN = 'ada-admin-token-0123456789abcdef';
const hashOf = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex')}`;

describe('room changes need an admin (real Redis)', () => {
  let vq: TestApp;
  beforeAll(async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vq-operators-')), 'operators.yaml');
    writeFileSync(
      file,
      `operators:\n  - { name: otto, role: operator, tokenHash: "${hashOf(OPERATOR)}" }\n  - { name: ada, role: admin, tokenHash: "${hashOf(ADMIN)}" }\n`,
    );
    vq = await startTestApp({ SURGE_OPERATORS_FILE: file });
  });
  afterAll(async () => {
    await vq?.close();
  });

  const configure = (token: string) =>
    vq.call('PUT', '/v1/admin/rooms/sale', { maxActive: 5 }, { authorization: `Bearer ${token}` });

  it('refuses an operator (403) and the shared token the file replaced (401), and lets an admin change a room', async () => {
    expect((await configure(OPERATOR)).status).toBe(403);
    expect((await configure('test-admin-token-0123456789')).status).toBe(401);
    const changed = await configure(ADMIN);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ room: 'sale', config: { maxActive: 5 } });
  });
});
