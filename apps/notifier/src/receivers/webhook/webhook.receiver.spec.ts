import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentFailure } from '@surge/kafka';
import { firingAlert } from '../../testing/alert-fixtures';
import { verifyWebhook } from './webhook-signature';
import { WebhookReceiver } from './webhook.receiver';

describe('WebhookReceiver', () => {
  const key = 'a-key-of-32-characters-0123456789';
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let status = 200;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const receiver = () =>
    new WebhookReceiver({ name: 'hook', type: 'webhook', url, secret: key, match: {} }, { timeoutMs: 2000 });

  it('posts the AlertEvent JSON, signed over timestamp and body', async () => {
    const alert = firingAlert('shop/web');
    await receiver().deliver(alert);
    const { headers, body } = requests.at(-1)!;
    expect(JSON.parse(body)).toEqual(alert);
    expect(headers['content-type']).toBe('application/json');
    const signed = {
      signature: headers['x-surge-signature'] as string,
      timestamp: headers['x-surge-timestamp'] as string,
    };
    expect(verifyWebhook(key, signed, body, Math.floor(Date.now() / 1000))).toBe(true);
  });

  it('fails for good on a 4xx and transiently on a 5xx', async () => {
    status = 400;
    await expect(receiver().deliver(firingAlert('shop/web'))).rejects.toBeInstanceOf(PermanentFailure);
    status = 503;
    const error = await receiver()
      .deliver(firingAlert('shop/web'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentFailure);
    status = 200;
  });
});
