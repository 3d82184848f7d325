import { Redis } from 'ioredis';
import { createRemoteJWKSet, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeyKey } from '../redis/room-keys';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

let t: TestApp;
let token: string;
let ticketId: string;
let claims: Record<string, unknown>;

async function verify(body: unknown) {
  const response = await t.call('POST', '/v1/tokens/verify', body);
  return { status: response.status, body: (await response.json()) as { valid: boolean; reason?: string } };
}

beforeAll(async () => {
  t = await startTestApp();
  await t.admin('PUT', '/v1/admin/rooms/tokens', { maxActive: 5, sessionSeconds: 120 });
  await t.admin('PUT', '/v1/admin/rooms/elsewhere', { maxActive: 5 });
  ({ ticketId } = (await (await t.call('POST', '/v1/rooms/tokens/join', { visitorId: 'buyer-1' })).json()) as {
    ticketId: string;
  });
  token = await waitUntil(
    async () =>
      ((await (await t.call('GET', `/v1/rooms/tokens/tickets/${ticketId}`)).json()) as { token?: string }).token,
  );
  claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
});
afterAll(async () => t?.close());

describe('admission tokens', () => {
  it('verify offline against the JWKS, with room, visitor, ticket and an expiry within the session', async () => {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`)),
    );
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ room: 'tokens', visitor: 'buyer-1', ticket: ticketId });
    expect(payload.exp! * 1000).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(await verify({ token, room: 'tokens' })).toMatchObject({ status: 200, body: { valid: true } });
  });

  it('rejects a token for another room', async () => {
    expect(await verify({ token, room: 'elsewhere' })).toMatchObject({
      status: 401,
      body: { valid: false, reason: 'wrong_room' },
    });
  });

  it('rejects a token signed with another key, and a tampered one', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid,
      })
      .sign(privateKey);
    expect(await verify({ token: forged, room: 'tokens' })).toMatchObject({
      status: 401,
      body: { reason: 'bad_signature' },
    });
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, room: 'elsewhere' })).toString('base64url')}.${signature}`;
    expect(await verify({ token: tampered, room: 'elsewhere' })).toMatchObject({
      status: 401,
      body: { reason: 'bad_signature' },
    });
    expect(await verify({ token: 'not-a-jwt' })).toMatchObject({ status: 401, body: { reason: 'malformed' } });
  });

  it('rejects an expired token even when genuinely signed', async () => {
    const redis = new Redis(t.config.REDIS_URL);
    const stored = JSON.parse((await redis.get(signingKeyKey(t.config.VQ_KEY_PREFIX)))!) as { privateJwk: JWK };
    await redis.quit();
    const key = await importJWK(stored.privateJwk, 'EdDSA');
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .sign(key);
    expect(await verify({ token: expired, room: 'tokens' })).toMatchObject({
      status: 401,
      body: { reason: 'expired' },
    });
  });

  it('rejects online once the session is completed, since a token never outlives its session', async () => {
    expect((await t.admin('POST', `/v1/admin/rooms/tokens/tickets/${ticketId}/complete`)).status).toBe(200);
    expect(await verify({ token, room: 'tokens' })).toMatchObject({ status: 401, body: { reason: 'session_ended' } });
  });
});
