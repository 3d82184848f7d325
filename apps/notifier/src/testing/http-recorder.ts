import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  /** The status the recorder answered. */
  status: number;
}

export interface HttpRecorder {
  url: string;
  /** Every request, answered or refused. */
  requests: RecordedRequest[];
  /** The requests answered 2xx: what the receiver took. */
  accepted(): RecordedRequest[];
  /** What the next requests are answered: 503 stands for a receiver that is down. */
  answer(status: number): void;
  /** Resolves with the first accepted request (now or later) that matches. */
  waitFor(match: (request: RecordedRequest) => boolean, timeoutMs: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** A loopback HTTP server standing for a Slack, PagerDuty or webhook endpoint, recording what it is sent. */
export async function startHttpRecorder(okStatus = 200): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  let status = okStatus;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ path: request.url ?? '', headers: request.headers, body, status });
      response.writeHead(status).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const accepted = () => requests.filter((r) => r.status < 300);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    answer: (next) => {
      status = next;
    },
    waitFor: (match, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = accepted().find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching request within ${timeoutMs} ms; got ${JSON.stringify(requests)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
