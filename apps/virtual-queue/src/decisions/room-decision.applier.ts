import { Inject, Injectable } from '@nestjs/common';
import type { ActionResult, ScaleDecision } from '@surge/contracts';
import { actionResultFor } from '@surge/executor-framework';
import { currentValue, patchForDecision, roomTargetId, type DecisionSetting } from '@surge/queue-core';
import { RoomAdminService } from '../admin/room-admin.service';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { roomPrefix, roomStateKey } from '../redis/room-keys';
import { RedisProvider } from '../redis/redis.provider';

export const EXECUTOR_NAME = 'virtual-queue';
export const TARGET_KIND = 'VirtualQueue';
const DECISION_MEMORY_SECONDS = 86_400;

/** Applies one VirtualQueue decision to its room, with the same statuses every Surge executor reports. */
@Injectable()
export class RoomDecisionApplier {
  constructor(
    private readonly redis: RedisProvider,
    private readonly rooms: RoomAdminService,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  async apply(decision: ScaleDecision): Promise<ActionResult> {
    const startedAt = Date.now();
    const result = (fields: Parameters<typeof actionResultFor>[2]) => actionResultFor(decision, EXECUTOR_NAME, fields);
    const room = await this.roomFor(decision.target.id);
    if (!room) return result({ status: 'rejected', error: `no room has target id "${decision.target.id}"`, startedAt });
    const config = (await this.redis.queue.getConfig(room))!;
    const planned = patchForDecision(config, decision.setting, decision.to);
    if (!planned.ok) return result({ status: 'rejected', error: planned.error, startedAt });
    if (decision.dryRun) return result({ status: 'dry-run', before: planned.before, after: planned.after, startedAt });
    const prefix = this.config.VQ_KEY_PREFIX;
    const fresh = await this.redis.client.set(
      `${roomPrefix(prefix, room)}decision:${decision.decisionId}`,
      '1',
      'EX',
      DECISION_MEMORY_SECONDS,
      'NX',
    );
    if (fresh !== 'OK')
      return result({ status: 'duplicate', before: planned.before, after: planned.before, startedAt });
    // An older decision arriving late must not undo a newer one for the same setting.
    const lastField = `decisionAt:${decision.setting}`;
    const last = Number((await this.redis.client.hget(roomStateKey(prefix, room), lastField)) ?? 0);
    if (decision.eventTime < last)
      return result({
        status: 'stale',
        before: planned.before,
        after: planned.before,
        error: `a newer decision (eventTime ${last}) already applied`,
        startedAt,
      });
    await this.redis.client.hset(roomStateKey(prefix, room), lastField, decision.eventTime);
    await this.rooms.configure(room, planned.patch, decision.decisionId);
    const readBack = await this.redis.queue.getConfig(room);
    const after = readBack ? currentValue(readBack, decision.setting as DecisionSetting) : null;
    return result({ status: 'applied', before: planned.before, after, verified: after === planned.after, startedAt });
  }

  /** A room's target id is its configured targetId, else `virtual-queue/<room>`; a bare room name also matches. */
  private async roomFor(targetId: string): Promise<string | null> {
    for (const room of await this.redis.queue.listRooms()) {
      const config = await this.redis.queue.getConfig(room);
      if (config && (roomTargetId(room, config) === targetId || room === targetId)) return room;
    }
    return null;
  }
}
