import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of an Alertmanager webhook notification (the fields the tests read). */
export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface WebhookReceiver {
  url: string;
  alerts: NotifiedAlert[];
  /** Resolves with the first alert received (now or later) that matches. */
  waitFor(match: (alert: NotifiedAlert) => boolean, timeoutMs: number): Promise<NotifiedAlert>;
  close(): Promise<void>;
}

/** A loopback HTTP server taking Alertmanager's webhook notifications, as an on-call tool would. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const alerts: NotifiedAlert[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts: NotifiedAlert[] };
      alerts.push(...body.alerts);
      response.writeHead(200).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    alerts,
    waitFor: (match, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = alerts.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching notification within ${timeoutMs} ms; got ${JSON.stringify(alerts)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
