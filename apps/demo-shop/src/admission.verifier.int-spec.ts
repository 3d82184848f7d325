import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionVerifier } from './admission.verifier';

// A stand-in for the queue's verify endpoint that redeems as the queue does: the first redemption of an admission
// succeeds, every later one is refused. The queue's own side is in apps/virtual-queue/src/__tests__/tokens.int-spec.ts.
const bodies: Record<string, unknown>[] = [];
const redeemed = new Set<string>();
let queue: http.Server;
let queueUrl: string;

beforeAll(async () => {
  queue = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { token: string; room: string; audience: string; redeem?: boolean };
      bodies.push(body);
      const verdict =
        body.audience !== 'https://shop.example'
          ? { valid: false, reason: 'wrong_audience' }
          : body.redeem && redeemed.has(body.token)
            ? { valid: false, reason: 'already_redeemed' }
            : { valid: true };
      if (verdict.valid && body.redeem) redeemed.add(body.token);
      res.writeHead(verdict.valid ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
    });
  });
  await new Promise<void>((resolve) => queue.listen(0, '127.0.0.1', resolve));
  queueUrl = `http://127.0.0.1:${(queue.address() as { port: number }).port}`;
});
afterAll(() => queue?.close());

describe("the shop's admission check", () => {
  it('redeems the admission, for its own room and audience: a replayed token buys nothing more', async () => {
    const verifier = new AdmissionVerifier(queueUrl, 'tickets', 'https://shop.example');
    expect(await verifier.verify('token-1')).toEqual({ valid: true });
    expect(await verifier.verify('token-1')).toEqual({ valid: false, reason: 'already_redeemed' });
    expect(bodies[0]).toEqual({ token: 'token-1', room: 'tickets', audience: 'https://shop.example', redeem: true });
  });

  it('refuses a missing token without asking the queue', async () => {
    const before = bodies.length;
    expect(await new AdmissionVerifier(queueUrl, 'tickets', 'https://shop.example').verify(undefined)).toEqual({
      valid: false,
      reason: 'missing_token',
    });
    expect(bodies.length).toBe(before);
  });
});
