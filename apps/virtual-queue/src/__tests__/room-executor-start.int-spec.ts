import { randomUUID } from 'node:crypto';
import { runTopicEnv } from '@surge/harness';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { QueueRepository } from '../redis/queue.repository';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

const run = randomUUID().slice(0, 8);
let t: TestApp | undefined;

afterAll(async () => {
  await t?.close();
  vi.restoreAllMocks();
});

describe('room executor start (real Kafka and Redis)', () => {
  it('retries the room catalog after a Redis error at boot instead of failing the app', async () => {
    // The executor's first Redis read is the room catalog; here it fails once, as it would with Redis away.
    const roomConfigs = vi
      .spyOn(QueueRepository.prototype, 'roomConfigs')
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    t = await startTestApp({
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      VQ_DECISION_GROUP: `test-vq-start-${run}`,
      ...runTopicEnv(`test.vq-start.${run}`),
    });
    const ready = await waitUntil(async () => {
      const response = await t!.call('GET', '/health/ready');
      return response.ok ? ((await response.json()) as { checks: Record<string, { ok: boolean }> }) : null;
    }, 60_000);
    expect(ready.checks['room-executor']).toEqual({ ok: true });
    expect(roomConfigs.mock.calls.length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
