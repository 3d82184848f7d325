import { Injectable } from '@nestjs/common';
import { mergeRoomConfig, type RoomConfig, type RoomConfigPatch } from '@surge/queue-core';
import { QueueError, QueueErrorCode } from '../errors/queue.error';
import { QueueEventsPublisher } from '../events/queue-events.publisher';
import { RedisProvider } from '../redis/redis.provider';
import { RoomReporterService } from '../admitter/room-reporter.service';
import { RoomConfigCache } from './room-config.cache';

/** Room configuration from the admin API and from scale decisions, with the queue events each change implies. */
@Injectable()
export class RoomAdminService {
  constructor(
    private readonly redis: RedisProvider,
    private readonly events: QueueEventsPublisher,
    private readonly cache: RoomConfigCache,
    private readonly reporter: RoomReporterService,
  ) {}

  async configure(
    room: string,
    patch: RoomConfigPatch,
    decisionId?: string,
  ): Promise<{ before: RoomConfig | null; after: RoomConfig }> {
    const before = await this.redis.queue.getConfig(room);
    const after = mergeRoomConfig(before, patch);
    await this.redis.queue.configure(room, after);
    // A new room's counters start at zero now, so its first reported interval already counts admissions.
    if (before === null) await this.reporter.start(room);
    this.cache.invalidate(room);
    const state = {
      maxActive: after.maxActive,
      admitPerMinute: after.admitPerMinute,
      mode: after.mode,
      ...(decisionId ? { decisionId } : {}),
    };
    if (before?.mode !== after.mode) {
      const type =
        after.mode === 'closed' ? 'closed' : before === null || before.mode === 'closed' ? 'opened' : 'mode-changed';
      await this.events.event({ room, type, ...state });
    }
    if (before && (before.maxActive !== after.maxActive || before.admitPerMinute !== after.admitPerMinute))
      await this.events.event({ room, type: 'capacity-changed', ...state });
    return { before, after };
  }

  async stats(room: string) {
    const snapshot = await this.redis.queue.counters(room);
    const config = await this.redis.queue.getConfig(room);
    if (!snapshot || !config) throw new QueueError(QueueErrorCode.UnknownRoom, `no room "${room}"`);
    const report = await this.reporter.previous(room);
    const { counters } = snapshot;
    return {
      room,
      config,
      waiting: counters.waiting,
      active: snapshot.active,
      admitted: counters.admitted,
      left: counters.left,
      expired: counters.expired,
      completed: counters.completed,
      sessionsExpired: counters.sessionsExpired,
      joined: counters.joined,
      admissionRatePerSecond: report?.admissionPerSecond ?? 0,
      arrivalRatePerSecond: report?.arrivalPerSecond ?? 0,
      oldestWaitSeconds: snapshot.oldestWaitMs === null ? null : Math.round(snapshot.oldestWaitMs / 1000),
    };
  }
}
