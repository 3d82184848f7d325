import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  applyFileEntry,
  applyPatch,
  type ConfigChange,
  type ConfigSource,
  type RoomConfig,
  type RoomConfigPatch,
  ROOM_SETTINGS,
  type RoomSetting,
} from '@surge/queue-core';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { QueueError, QueueErrorCode } from '../errors/queue.error';
import { QueueEventsPublisher } from '../events/queue-events.publisher';
import { RedisProvider } from '../redis/redis.provider';
import { RoomReporterService } from '../admitter/room-reporter.service';
import { KnownRooms } from '../rooms/known-rooms';
import { RoomsFileStore } from '../rooms/rooms-file.store';
import { RoomConfigCache } from './room-config.cache';

export interface ConfigureResult {
  before: RoomConfig | null;
  after: RoomConfig;
  changed: RoomSetting[];
  kept: RoomSetting[];
}

/**
 * Room configuration from the rooms file, the admin API and scale decisions, with the queue events each change
 * implies. The file is the base: an admin change or a decision to a room missing from Redis starts from the
 * room's file entry, not from defaults.
 */
@Injectable()
export class RoomAdminService {
  private readonly logger = new Logger(RoomAdminService.name);
  /** Rooms whose loss was already reported as an `unavailable` event, until they are configured again. */
  private readonly reportedGone = new Set<string>();

  constructor(
    private readonly redis: RedisProvider,
    private readonly events: QueueEventsPublisher,
    private readonly cache: RoomConfigCache,
    private readonly reporter: RoomReporterService,
    private readonly file: RoomsFileStore,
    private readonly known: KnownRooms,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  async configure(
    room: string,
    patch: RoomConfigPatch,
    source: Exclude<ConfigSource, 'file'>,
    origin: { decisionId?: string; actor?: string } = {},
  ): Promise<ConfigureResult> {
    const current = await this.redis.queue.getState(room);
    const fileEntry = this.file.entry(room);
    const base = current ?? (fileEntry ? applyFileEntry(null, fileEntry) : null);
    const change = applyPatch(base, patch, source);
    // Created from the file: every setting is new, not only those of the patch.
    if (!current) change.changed = [...ROOM_SETTINGS];
    return this.write(room, current?.config ?? null, change, source, [], origin);
  }

  /** Applies the room's file entry: creates a missing room, keeps what an operator or a decision set since. */
  async applyFile(room: string, entry: RoomConfigPatch): Promise<ConfigureResult> {
    const current = await this.redis.queue.getState(room);
    const change = applyFileEntry(current, entry);
    const sourcesMoved = current && ROOM_SETTINGS.some((s) => current.sources[s] !== change.sources[s]);
    if (current && change.changed.length === 0 && !sourcesMoved)
      return { before: current.config, after: current.config, changed: [], kept: change.kept };
    return this.write(room, current?.config ?? null, change, 'file', change.kept);
  }

  async stats(room: string) {
    const snapshot = await this.redis.queue.counters(room);
    const state = await this.redis.queue.getState(room);
    if (!snapshot || !state) throw this.missing(room);
    const report = await this.reporter.previous(room);
    const { counters } = snapshot;
    return {
      room,
      config: state.config,
      // Who set each setting last; `default` for a setting nobody set (a room created before it had a file entry).
      sources: Object.fromEntries(ROOM_SETTINGS.map((s) => [s, state.sources[s] ?? 'default'])),
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

  /**
   * The error for a room Redis does not have: gone (503, with Retry-After) when it was configured, unknown (404)
   * otherwise. A visitor's ticket did not survive, but the room will: a reload or a restart re-creates it.
   */
  missing(room: string): QueueError {
    if (this.known.knows(room) && !this.reportedGone.has(room)) {
      // Once per loss, for the audit trail; a failed send is logged, and the visitor's answer does not wait for it.
      this.reportedGone.add(room);
      void this.events
        .event({ room, type: 'unavailable' })
        .catch((error: Error) => this.logger.warn(`cannot report room ${room} unavailable: ${error.message}`));
    }
    return this.known.knows(room)
      ? new QueueError(
          QueueErrorCode.RoomUnavailable,
          `room "${room}" is temporarily unavailable: its state was lost and is being restored; try again shortly`,
          this.config.VQ_UNAVAILABLE_RETRY_AFTER_SECONDS,
        )
      : new QueueError(QueueErrorCode.UnknownRoom, `no room "${room}"`);
  }

  private async write(
    room: string,
    before: RoomConfig | null,
    change: ConfigChange,
    source: ConfigSource,
    kept: RoomSetting[],
    { decisionId, actor }: { decisionId?: string; actor?: string } = {},
  ): Promise<ConfigureResult> {
    const after = change.config;
    await this.redis.queue.configure(room, after, change.sources);
    this.known.remember(room);
    this.reportedGone.delete(room);
    // A new room's counters start at zero now, so its first reported interval already counts admissions.
    if (before === null) await this.reporter.start(room);
    this.cache.invalidate(room);
    const state = {
      maxActive: after.maxActive,
      admitPerMinute: after.admitPerMinute,
      mode: after.mode,
      ...(decisionId ? { decisionId } : {}),
    };
    // The audit trail of every change: who made it, what it changed, what a file reload left as it was.
    await this.events.event({
      room,
      type: 'configured',
      source,
      ...(actor ? { actor } : {}),
      settings: change.changed,
      ...(kept.length ? { kept } : {}),
      ...state,
    });
    if (before?.mode !== after.mode) {
      const type =
        after.mode === 'closed' ? 'closed' : before === null || before.mode === 'closed' ? 'opened' : 'mode-changed';
      await this.events.event({ room, type, ...state });
    }
    if (before && (before.maxActive !== after.maxActive || before.admitPerMinute !== after.admitPerMinute))
      await this.events.event({ room, type: 'capacity-changed', ...state });
    return { before, after, changed: change.changed, kept };
  }
}
