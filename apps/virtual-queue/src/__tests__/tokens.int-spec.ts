import { Redis } from 'ioredis';
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_AUDIENCE } from '../config/token-env';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

const AUD = DEFAULT_TOKEN_AUDIENCE;
let t: TestApp;
let token: string;
let ticketId: string;
let claims: Record<string, unknown>;

async function verify(body: Record<string, unknown>) {
  const response = await t.call('POST', '/v1/tokens/verify', { audience: AUD, ...body });
  return { status: response.status, body: (await response.json()) as { valid: boolean; reason?: string } };
}

async function admittedToken(room: string): Promise<{ token: string; ticketId: string }> {
  const joined = (await (await t.call('POST', `/v1/rooms/${room}/join`, {})).json()) as { ticketId: string };
  const admitted = await waitUntil(
    async () =>
      ((await (await t.call('GET', `/v1/rooms/${room}/tickets/${joined.ticketId}`)).json()) as { token?: string })
        .token,
  );
  return { token: admitted, ticketId: joined.ticketId };
}

const signWithQueueKey = (payload: Record<string, unknown>) => {
  const keys = t.app.get(SigningKeysService);
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: keys.publicJwk.kid }).sign(keys.privateKey);
};

beforeAll(async () => {
  t = await startTestApp({ VQ_TOKEN_TTL_SECONDS: '60' });
  await t.admin('PUT', '/v1/admin/rooms/tokens', { maxActive: 5, sessionSeconds: 600 });
  await t.admin('PUT', '/v1/admin/rooms/elsewhere', { maxActive: 5 });
  await t.admin('PUT', '/v1/admin/rooms/shop', { maxActive: 5, redirectUrl: 'https://shop.example/checkout?x=1' });
  ({ token, ticketId } = await admittedToken('tokens'));
  claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
});
afterAll(async () => t?.close());

describe('admission tokens', () => {
  it('verify offline against the JWKS, with audience, room, jti, kid and a short expiry', async () => {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`)),
      { audience: AUD },
    );
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    expect(payload).toMatchObject({ room: 'tokens', ticket: ticketId, aud: AUD, jti: expect.any(String) });
    // VQ_TOKEN_TTL_SECONDS (60), not the session's 600 seconds.
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
    expect(await verify({ token, room: 'tokens' })).toMatchObject({ status: 200, body: { valid: true } });
  });

  it("takes the audience from the room's redirectUrl: the protected origin", async () => {
    const shop = await admittedToken('shop');
    expect(JSON.parse(Buffer.from(shop.token.split('.')[1]!, 'base64url').toString())).toMatchObject({
      aud: 'https://shop.example',
    });
    expect(await verify({ token: shop.token, room: 'shop', audience: 'https://shop.example' })).toMatchObject({
      body: { valid: true },
    });
  });

  it('requires the room and the audience, and rejects a token for another room or audience', async () => {
    expect((await t.call('POST', '/v1/tokens/verify', { token, room: 'tokens' })).status).toBe(400);
    expect((await t.call('POST', '/v1/tokens/verify', { token, audience: AUD })).status).toBe(400);
    expect(await verify({ token, room: 'elsewhere' })).toMatchObject({
      status: 401,
      body: { valid: false, reason: 'wrong_room' },
    });
    expect(await verify({ token, room: 'tokens', audience: 'https://evil.example' })).toMatchObject({
      status: 401,
      body: { valid: false, reason: 'wrong_audience' },
    });
  });

  it('rejects a token signed with another key, a tampered one and one without an audience', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: decodeProtectedHeader(token).kid! })
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
    expect(await verify({ token: 'not-a-jwt', room: 'tokens' })).toMatchObject({
      status: 401,
      body: { reason: 'malformed' },
    });
    const { aud: _aud, ...withoutAudience } = claims;
    expect(await verify({ token: await signWithQueueKey(withoutAudience), room: 'tokens' })).toMatchObject({
      status: 401,
      body: { reason: 'bad_claims' },
    });
  });

  it('rejects an expired token even when genuinely signed', async () => {
    const expired = await signWithQueueKey({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 });
    expect(await verify({ token: expired, room: 'tokens' })).toMatchObject({
      status: 401,
      body: { reason: 'expired' },
    });
  });

  it('redeems an admission once: a second redemption fails, even of a token re-issued by a later poll', async () => {
    const buyer = await admittedToken('tokens');
    expect(await verify({ token: buyer.token, room: 'tokens', redeem: true })).toMatchObject({
      status: 200,
      body: { valid: true },
    });
    expect(await verify({ token: buyer.token, room: 'tokens', redeem: true })).toMatchObject({
      status: 401,
      body: { reason: 'already_redeemed' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const reissued = (
      (await (await t.call('GET', `/v1/rooms/tokens/tickets/${buyer.ticketId}`)).json()) as {
        token: string;
      }
    ).token;
    expect(reissued).not.toBe(buyer.token);
    expect(await verify({ token: reissued, room: 'tokens', redeem: true })).toMatchObject({
      status: 401,
      body: { reason: 'already_redeemed' },
    });
  });

  it('after a rotation, the JWKS lists the current and previous keys and tokens of the previous key still verify', async () => {
    const before = decodeProtectedHeader(token).kid;
    await t.app.get(SigningKeysService).rotate();
    const jwks = (await (await t.call('GET', '/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys[1]!.kid).toBe(before);
    const fresh = await admittedToken('elsewhere');
    expect(decodeProtectedHeader(fresh.token).kid).toBe(jwks.keys[0]!.kid);
    expect(await verify({ token, room: 'tokens' })).toMatchObject({ status: 200, body: { valid: true } });
    // A second rotation drops the first key: its tokens (long expired by then in production) no longer verify.
    await t.app.get(SigningKeysService).rotate();
    expect(await verify({ token, room: 'tokens' })).toMatchObject({ status: 401, body: { reason: 'bad_signature' } });
    expect(await verify({ token: fresh.token, room: 'elsewhere' })).toMatchObject({ body: { valid: true } });
  });

  it('rotates by itself once the current key is older than VQ_SIGNING_KEY_ROTATION_SECONDS', async () => {
    const keys = t.app.get(SigningKeysService);
    const before = keys.publicJwk.kid;
    await keys.refresh(Date.now() + 1000);
    expect(keys.publicJwk.kid).toBe(before);
    await keys.refresh(Date.now() + t.config.VQ_SIGNING_KEY_ROTATION_SECONDS * 1000);
    expect(keys.publicJwk.kid).not.toBe(before);
    expect(keys.publicJwks().map((k) => k.kid)).toEqual([keys.publicJwk.kid, before]);
  });

  it('leaves no private key material in plain text in Redis', async () => {
    const redis = new Redis(t.config.REDIS_URL);
    try {
      const keys = await redis.keys(`${t.config.VQ_KEY_PREFIX}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const type = await redis.type(key);
        const dump =
          type === 'string'
            ? ((await redis.get(key)) ?? '')
            : type === 'hash'
              ? JSON.stringify(await redis.hgetall(key))
              : '';
        expect(dump, key).not.toMatch(/PRIVATE KEY|"d"\s*:\s*"/);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('rejects online once the session is completed, since a token never outlives its session', async () => {
    const later = await admittedToken('tokens');
    expect((await t.admin('POST', `/v1/admin/rooms/tokens/tickets/${later.ticketId}/complete`)).status).toBe(200);
    expect(await verify({ token: later.token, room: 'tokens' })).toMatchObject({
      status: 401,
      body: { reason: 'session_ended' },
    });
  });
});
