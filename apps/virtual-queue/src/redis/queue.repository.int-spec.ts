import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeRoomConfig, visitorBucket, type RoomConfigPatch } from '@surge/queue-core';
import { deleteKeys } from '../testing/delete-keys';
import { QueueRepository } from './queue.repository';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const clients: Redis[] = [];
const prefixes: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function repo(prefix: string): QueueRepository {
  const client = new Redis(REDIS_URL);
  clients.push(client);
  return new QueueRepository(client, prefix);
}

async function room(
  patch: RoomConfigPatch,
): Promise<{ a: QueueRepository; b: QueueRepository; name: string; prefix: string }> {
  const prefix = `test:vq:${randomUUID()}:`;
  prefixes.push(prefix);
  const a = repo(prefix);
  await a.configure('sale', mergeRoomConfig(null, patch));
  return { a, b: repo(prefix), name: 'sale', prefix };
}

afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await deleteKeys(REDIS_URL, prefixes);
});

describe('QueueRepository (real Redis)', () => {
  it('joins idempotently, counts ahead without leavers, admits first in first out', async () => {
    const { a, name } = await room({ maxActive: 2, admitPerMinute: 600_000 });
    const ids = ['v0', 'v1', 'v2', 'v3', 'v4'];
    for (const id of ids) await a.join(name, id);
    expect((await a.join(name, 'v3')).ahead).toBe(3);
    expect(await a.leave(name, 'v1')).toBe('left');
    expect((await a.status(name, 'v3', true)).ahead).toBe(2);
    expect(await a.admit(name)).toMatchObject({ admitted: 2, active: 2 });
    expect((await a.status(name, 'v0', true)).state).toBe('admitted');
    expect((await a.status(name, 'v2', true)).state).toBe('admitted');
    expect((await a.status(name, 'v3', true)).ahead).toBe(0);
    expect(await a.complete(name, 'v0')).toBe('completed');
    expect(await a.admit(name)).toMatchObject({ admitted: 1, active: 2 });
    expect((await a.status(name, 'v3', true)).state).toBe('admitted');
    expect((await a.counters(name))?.counters).toMatchObject({ waiting: 1, admitted: 3, left: 1, completed: 1 });
  });

  it('places visitors in the bucket queue-core computes (Lua and TypeScript hash alike)', async () => {
    const { a, name, prefix } = await room({ maxActive: 0 });
    const client = new Redis(REDIS_URL);
    clients.push(client);
    for (const id of ['visitor-ü-1', 'x', 'A.b:c-d_e', 'z'.repeat(48)]) {
      await a.join(name, id);
      expect(await client.hget(`${prefix}vq:{${name}}:v:${visitorBucket(id)}`, id)).toMatch(/^\d+$/);
    }
  });

  it('counts ahead exactly across many ticket buckets with leavers far from the head', async () => {
    const { a, name } = await room({ maxActive: 100, admitPerMinute: 600_000 });
    for (let i = 0; i < 700; i++) await a.join(name, `v${i}`);
    for (let i = 100; i < 600; i += 3) await a.leave(name, `v${i}`);
    await a.admit(name, 50);
    const leftBefore650 = Math.ceil((600 - 100) / 3);
    expect((await a.status(name, 'v650', true)).ahead).toBe(650 - 50 - leftBefore650);
  });

  it('never admits faster than the token bucket allows', async () => {
    const { a, b, name } = await room({ maxActive: 1000, admitPerMinute: 120 });
    for (let i = 0; i < 50; i++) await a.join(name, `v${i}`);
    const started = Date.now();
    let admitted = 0;
    while (Date.now() - started < 1500) {
      const rounds = await Promise.all([a.admit(name), b.admit(name)]);
      admitted += rounds.reduce((sum, r) => sum + r!.admitted, 0);
      await sleep(20);
    }
    // 2 per second, a burst of 2: at most 2 + 2 * 1.5 s.
    expect(admitted).toBeGreaterThanOrEqual(2);
    expect(admitted).toBeLessThanOrEqual(5);
  });

  it("drops visitors whose heartbeat stopped, from the line and from everyone's ahead", async () => {
    const { a, name } = await room({ maxActive: 10, admitPerMinute: 600_000, heartbeatTimeoutSeconds: 5 });
    for (const id of ['first', 'silent', 'last']) await a.join(name, id);
    for (let i = 0; i < 7; i++) {
      await sleep(1000);
      await a.status(name, 'first', true);
      await a.status(name, 'last', true);
    }
    expect((await a.status(name, 'last', true)).ahead).toBe(2);
    // The sweeper (every admission round in the app) drops the silent visitor from the line and from ahead.
    expect(await a.sweep(name)).toBe(1);
    expect((await a.status(name, 'last', true)).ahead).toBe(1);
    expect((await a.status(name, 'silent', true)).state).toBe('gone');
    expect((await a.counters(name))?.counters.expired).toBe(1);
  }, 20_000);

  it('shuffles the pre-queue at opening and queues later joiners behind it', async () => {
    const { a, name } = await room({ maxActive: 0, opensAt: Date.now() + 1500 });
    const early = Array.from({ length: 20 }, (_, i) => `early${i}`);
    for (const id of early) expect(await a.join(name, id)).toMatchObject({ state: 'prequeue', ahead: null });
    await sleep(1600);
    const late = await a.join(name, 'late');
    expect(late).toMatchObject({ state: 'waiting', ahead: 20 });
    const order = await Promise.all(early.map(async (id) => (await a.status(name, id, true)).ahead!));
    expect([...order].sort((x, y) => x - y)).toEqual(early.map((_, i) => i));
    expect(order).not.toEqual(early.map((_, i) => i));
  });

  it('holds its invariants with concurrent clients and two admitters (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        async (visitors, maxActive, leaves) => {
          const { a, b, name, prefix } = await room({ maxActive, admitPerMinute: 600_000 });
          const ids = Array.from({ length: visitors }, (_, i) => `v${i}`);
          const joiners = [a, b, repo(prefix)];
          await Promise.all(ids.map((id, i) => joiners[i % joiners.length]!.join(name, id)));
          const order = [...ids];
          const aheadAtJoin = new Map(
            await Promise.all(ids.map(async (id) => [id, (await a.status(name, id, true)).ahead!] as const)),
          );
          order.sort((x, y) => aheadAtJoin.get(x)! - aheadAtJoin.get(y)!);
          const leavers = new Set(order.filter((_, i) => leaves[i]));
          await Promise.all([...leavers].map((id) => b.leave(name, id)));
          const line = order.filter((id) => !leavers.has(id));
          for (const [i, id] of line.entries()) expect((await a.status(name, id, false)).ahead).toBe(i);

          const everAdmitted = new Set<string>();
          const done = new Set<string>();
          const lastAhead = new Map<string, number>();
          while (done.size < line.length) {
            const rounds = await Promise.all([a.admit(name), b.admit(name)]);
            for (const round of rounds) expect(round!.active).toBeLessThanOrEqual(maxActive);
            const statuses = await Promise.all(line.map(async (id) => [id, await a.status(name, id, true)] as const));
            for (const [id, status] of statuses) {
              // Positions never go backwards for a visitor who keeps polling.
              if (status.state === 'waiting') expect(status.ahead!).toBeLessThanOrEqual(lastAhead.get(id) ?? Infinity);
              lastAhead.set(id, status.ahead ?? 0);
            }
            const admittedNow = statuses.filter(([, s]) => s.state === 'admitted').map(([id]) => id);
            expect(admittedNow.length).toBeLessThanOrEqual(maxActive);
            for (const id of admittedNow) {
              expect(done.has(id)).toBe(false);
              everAdmitted.add(id);
            }
            // FIFO: whoever was ever admitted forms a prefix of the line.
            expect(line.slice(0, everAdmitted.size).every((id) => everAdmitted.has(id))).toBe(true);
            const finish = admittedNow.slice(0, 1 + (admittedNow.length >> 1));
            await Promise.all(finish.map(async (id) => expect(await b.complete(name, id)).toBe('completed')));
            for (const id of finish) done.add(id);
          }
          const { counters } = (await a.counters(name))!;
          expect(counters.admitted).toBe(line.length);
          expect(counters.left).toBe(leavers.size);
          expect(counters.waiting).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});
