import { randomUUID } from 'node:crypto';

export interface RoomAnswer {
  at: number;
  status: number | 'no answer';
  retryAfter: string | null;
  code?: string;
}

/**
 * A visitor joining the room twice a second, as the waiting page would: records what the room answered, so an
 * experiment can tell a room whose state is gone (503 with Retry-After) from one that forgot it exists (404).
 */
export function watchRoom(url: () => string, room: string, intervalMs = 500): { answers: RoomAnswer[]; stop(): void } {
  const answers: RoomAnswer[] = [];
  let running = true;
  void (async () => {
    while (running) {
      const at = Date.now();
      try {
        const res = await fetch(`${url()}/v1/rooms/${room}/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ visitorId: `chaos-${randomUUID()}` }),
          signal: AbortSignal.timeout(3_000),
        });
        const body = (await res.json().catch(() => ({}))) as { code?: string; error?: string };
        answers.push({
          at,
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          code: body.code ?? body.error,
        });
      } catch {
        answers.push({ at, status: 'no answer', retryAfter: null });
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })().catch((error: Error) => {
    // A watch that cannot go on stops recording: the experiment then sees no recent 200, never a crash of the drill.
    running = false;
    process.stderr.write(`room watch stopped: ${error.message}\n`);
  });
  return {
    answers,
    stop: () => {
      running = false;
    },
  };
}

/** "200×40, 503×12 (Retry-After 5)": the answers in a line for the notes. */
export function summarizeRoom(answers: RoomAnswer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const key = `${answer.status}${answer.code ? ` ${answer.code}` : ''}${answer.retryAfter ? ` (Retry-After ${answer.retryAfter})` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${count}× ${key}`).join(', ');
}
