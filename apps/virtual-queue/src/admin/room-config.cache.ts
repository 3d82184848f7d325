import { Injectable } from '@nestjs/common';
import type { RoomConfig } from '@surge/queue-core';
import { RedisProvider } from '../redis/redis.provider';
import { KnownRooms } from '../rooms/known-rooms';

const TTL_MS = 1000;

/** Room configs change rarely and are read on every visitor request: one second of staleness is acceptable. */
@Injectable()
export class RoomConfigCache {
  private readonly entries = new Map<string, { config: RoomConfig | null; at: number }>();

  constructor(
    private readonly redis: RedisProvider,
    private readonly known: KnownRooms,
  ) {}

  async get(room: string): Promise<RoomConfig | null> {
    const hit = this.entries.get(room);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.config;
    const config = await this.redis.queue.getConfig(room);
    if (config) this.known.remember(room);
    this.entries.set(room, { config, at: Date.now() });
    return config;
  }

  invalidate(room: string): void {
    this.entries.delete(room);
  }
}
