import type { Page } from 'playwright-core';

/**
 * Solve times, in ms, of the waiting page's own worker in a page of the queue at `base`: `count` made-up
 * challenges of a real one's length (~150 bytes), one after another on one worker thread.
 */
export async function chromiumSolveTimes(
  page: Page,
  base: string,
  difficulty: number,
  count: number,
): Promise<number[]> {
  await page.goto(`${base}/rooms/assets/waiting-room.js`);
  return page.evaluate(
    ({ difficulty, count }) =>
      new Promise<number[]>((resolve, reject) => {
        const worker = new Worker('/rooms/assets/join-challenge.worker.js');
        const times: number[] = [];
        const next = () =>
          worker.postMessage({ challenge: `${crypto.randomUUID().repeat(4)}.${crypto.randomUUID()}`, difficulty });
        worker.onerror = (e) => reject(new Error(e.message));
        worker.onmessage = (e: MessageEvent<{ solution?: string; ms: number }>) => {
          if (e.data.solution === undefined) return;
          times.push(e.data.ms);
          if (times.length < count) return next();
          worker.terminate();
          resolve(times);
        };
        next();
      }),
    { difficulty, count },
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
