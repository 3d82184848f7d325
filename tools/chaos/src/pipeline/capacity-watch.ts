import { Redis } from 'ioredis';

/** One look at the room in Redis: how many sessions it holds and the maxActive in force. */
export interface CapacityReading {
  at: number;
  active: number;
  maxActive: number;
}

export interface CapacityWatch {
  readings: CapacityReading[];
  stop(): Promise<void>;
}

/**
 * Reads the room's sessions and its maxActive straight from Redis (ZCARD of the session set, HGET of the state,
 * in one MULTI so the two agree), a reader that shares no code with the waiting room. A Redis fault only leaves
 * a gap in the readings.
 */
export function watchCapacity(redisUrl: string, room: string, intervalMs = 250): CapacityWatch {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  client.on('error', () => undefined);
  const prefix = `vq:{${room}}:`;
  const readings: CapacityReading[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const replies = await client
        .multi()
        .zcard(`${prefix}a`)
        .hget(`${prefix}s`, 'maxActive')
        .exec()
        .catch(() => null);
      const active = replies?.[0]?.[1];
      const maxActive = replies?.[1]?.[1];
      if (typeof active === 'number' && typeof maxActive === 'string')
        readings.push({ at, active, maxActive: Number(maxActive) });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    readings,
    stop: async () => {
      running = false;
      await loop;
      client.disconnect();
    },
  };
}

/**
 * The room admitted beyond its capacity: between two readings the sessions grew past the larger of the two
 * maxActive values (a decision may lower maxActive below the sessions in progress; the room then admits no one
 * until they end, and that is not an excess). Also says how often the room was full, so a pass is not vacuous.
 */
export function capacityExcesses(readings: readonly CapacityReading[]): { excesses: string[]; full: number } {
  const excesses: string[] = [];
  let full = 0;
  for (let i = 1; i < readings.length; i += 1) {
    const before = readings[i - 1]!;
    const now = readings[i]!;
    if (now.active >= now.maxActive) full += 1;
    if (now.active > before.active && now.active > Math.max(before.maxActive, now.maxActive))
      excesses.push(`${now.active} sessions at maxActive ${now.maxActive} (${new Date(now.at).toISOString()})`);
  }
  return { excesses, full };
}
