import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinChallengeService } from '../challenge/join-challenge.service';
import { roomPrefix } from '../redis/room-keys';
import { nonSolution, solvedChallenge, solveJoinChallenge } from '../testing/solve-join-challenge';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

/** The join gate against the real Redis: each refusal here is a check that, removed, lets the join through. */
let t: TestApp;
let redis: Redis;
const DIFFICULTY = 8;
type View = { ticketId: string; status: string };
type Refusal = { error: string; field: string; reason: string; message: string };

const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;
const join = (room: string, body: object, headers: Record<string, string> = {}) =>
  t.call('POST', `/v1/rooms/${room}/join`, body, headers);
const refusal = async (response: Response) => ({ status: response.status, ...((await response.json()) as Refusal) });
const nonceOf = (challenge: string) =>
  (JSON.parse(Buffer.from(challenge.split('.')[0]!, 'base64url').toString()) as { n: string }).n;
const keyCount = async () => (await redis.keys(`${t.config.VQ_KEY_PREFIX}*`)).length;

beforeAll(async () => {
  t = await startTestApp();
  redis = new Redis(t.config.REDIS_URL);
  for (const room of ['gated', 'gated-too'])
    expect(
      (await t.admin('PUT', `/v1/admin/rooms/${room}`, { joinChallenge: { difficulty: DIFFICULTY } })).status,
    ).toBe(200);
  await t.admin('PUT', '/v1/admin/rooms/open', {});
});
afterAll(async () => {
  redis?.disconnect();
  await t?.close();
});

describe('a room with a join gate', () => {
  it('issues a signed challenge that, solved, buys a place; the cookie then rejoins without new work', async () => {
    const issued = await solvedChallenge(t.url, 'gated');
    expect(issued.difficulty).toBe(DIFFICULTY);
    const first = await join('gated', { challenge: issued.challenge, solution: issued.solution });
    expect(first.status).toBe(200);
    const view = (await first.json()) as View;
    expect(view.status).toBe('waiting');
    const again = await join('gated', {}, { cookie: cookieOf(first) });
    expect(again.status).toBe(200);
    expect(((await again.json()) as View).ticketId).toBe(view.ticketId);
  });

  it('refuses a join without a solution, naming the field', async () => {
    expect(await refusal(await join('gated', {}))).toMatchObject({
      status: 403,
      error: 'join_challenge_refused',
      field: 'challenge',
      reason: 'missing',
    });
    const { challenge } = await solvedChallenge(t.url, 'gated');
    expect(await refusal(await join('gated', { challenge }))).toMatchObject({ field: 'solution', reason: 'missing' });
  });

  it('refuses a counter that does not reach the difficulty', async () => {
    const { challenge } = await solvedChallenge(t.url, 'gated');
    const response = await join('gated', { challenge, solution: nonSolution(challenge, DIFFICULTY) });
    expect(await refusal(response)).toMatchObject({ status: 403, field: 'solution', reason: 'insufficient_work' });
  });

  it('refuses a challenge whose difficulty was lowered by the client', async () => {
    const { challenge } = await solvedChallenge(t.url, 'gated');
    const [payload, mac] = challenge.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, d: 1 })).toString('base64url')}.${mac}`;
    const response = await join('gated', { challenge: tampered, solution: solveJoinChallenge(tampered, 1) });
    expect(await refusal(response)).toMatchObject({ field: 'challenge', reason: 'bad_signature' });
  });

  it('refuses a challenge issued before the room raised its difficulty', async () => {
    await t.admin('PUT', '/v1/admin/rooms/gated-too', { joinChallenge: { difficulty: DIFFICULTY } });
    const issued = await solvedChallenge(t.url, 'gated-too');
    await t.admin('PUT', '/v1/admin/rooms/gated-too', { joinChallenge: { difficulty: DIFFICULTY + 2 } });
    await waitUntil(async () => (await solvedChallenge(t.url, 'gated-too')).difficulty === DIFFICULTY + 2);
    const response = await join('gated-too', { challenge: issued.challenge, solution: issued.solution });
    expect(await refusal(response)).toMatchObject({ field: 'challenge', reason: 'difficulty_too_low' });
    await t.admin('PUT', '/v1/admin/rooms/gated-too', { joinChallenge: { difficulty: DIFFICULTY } });
  });

  it('refuses an expired challenge', async () => {
    const stale = t.app
      .get(JoinChallengeService)
      .issue('gated', null, { difficulty: DIFFICULTY }, Date.now() - 121_000).challenge;
    const response = await join('gated', { challenge: stale, solution: solveJoinChallenge(stale, DIFFICULTY) });
    expect(await refusal(response)).toMatchObject({ field: 'challenge', reason: 'expired' });
  });

  it("refuses another room's challenge", async () => {
    const issued = await solvedChallenge(t.url, 'gated-too');
    const response = await join('gated', { challenge: issued.challenge, solution: issued.solution });
    expect(await refusal(response)).toMatchObject({ field: 'challenge', reason: 'other_room' });
  });

  it("refuses another visitor's challenge, and a visitor's challenge sent without its cookie", async () => {
    const alice = cookieOf(
      await join(
        'gated',
        await solvedChallenge(t.url, 'gated').then(({ challenge, solution }) => ({ challenge, solution })),
      ),
    );
    const bob = cookieOf(await join('open', {}));
    const forAlice = await solvedChallenge(t.url, 'gated', { cookie: alice });
    const proof = { challenge: forAlice.challenge, solution: forAlice.solution };
    expect(await refusal(await join('gated', proof, { cookie: bob }))).toMatchObject({ reason: 'other_visitor' });
    expect(await refusal(await join('gated', proof))).toMatchObject({ reason: 'other_visitor' });
  });

  it('spends a challenge once, with the join, even when sent many times at once', async () => {
    const { challenge, solution } = await solvedChallenge(t.url, 'gated');
    const responses = await Promise.all(Array.from({ length: 8 }, () => join('gated', { challenge, solution })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 403, 403, 403, 403, 403, 403, 403]);
    const refused = await refusal(responses.find((r) => r.status === 403)!);
    expect(refused).toMatchObject({ field: 'challenge', reason: 'already_used' });
    const ttl = await redis.pttl(`${roomPrefix(t.config.VQ_KEY_PREFIX, 'gated')}jc:${nonceOf(challenge)}`);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('keeps nothing in Redis for challenges that are only asked for', async () => {
    const before = await keyCount();
    await Promise.all(Array.from({ length: 50 }, () => t.call('GET', '/v1/rooms/gated/challenge')));
    expect(await keyCount()).toBe(before);
  });
});

describe('a room without a join gate', () => {
  it('says no challenge is required and lets a join in without one', async () => {
    expect(await (await t.call('GET', '/v1/rooms/open/challenge')).json()).toEqual({ required: false });
    expect((await join('open', {})).status).toBe(200);
  });

  it('answers 404 for the challenge of a room that does not exist', async () => {
    expect((await t.call('GET', '/v1/rooms/nowhere/challenge')).status).toBe(404);
  });
});
