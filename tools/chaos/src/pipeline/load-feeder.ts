import type { ExecutorTestBed } from '@surge/executor-framework/testing';
import { API, LOAD_METRIC } from './pipeline-files';

/**
 * Samples for the rules engine's policy, straight onto the samples topic as ingest writes them: every second
 * one sample of shop/api, asking for 4 and 8 replicas in turn every `stepMs`, so the engine keeps deciding
 * (a steady climb would soon fall within HPA's 10 % tolerance and stop).
 */
export function feedLoad(
  bed: ExecutorTestBed,
  stepMs = 5_000,
): { pause(paused: boolean): void; stop(): Promise<void> } {
  let running = true;
  let paused = false;
  const startedAt = Date.now();
  const loop = (async () => {
    while (running) {
      if (paused) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const wanted = Math.floor((Date.now() - startedAt) / stepMs) % 2 === 0 ? 4 : 8;
      const sample = {
        schemaVersion: 1,
        target: API.id,
        metric: LOAD_METRIC,
        value: wanted * 10,
        timestamp: Date.now(),
      };
      // A send that fails while Kafka is slow is simply the next second's sample: nothing checks samples.
      await bed.producer
        .send(bed.topics.samples, [
          { key: API.id, value: JSON.stringify({ schemaVersion: 1, target: API.id, samples: [sample] }) },
        ])
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    pause: (value) => {
      paused = value;
    },
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
