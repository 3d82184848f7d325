import { Inject, Injectable } from '@nestjs/common';
import type { ActionResult, ScaleDecision } from '@surge/contracts';
import { actionResultFor } from '@surge/executor-framework';
import { currentValue, patchForDecision, roomTargetId, type DecisionSetting, type RoomConfig } from '@surge/queue-core';
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

  /**
   * A sale sharded over several rooms (one per Cluster slot) shares one target id: capacity settings are split
   * evenly across its rooms (rounded up) and reported as their sum; a mode applies to every room.
   */
  async apply(decision: ScaleDecision): Promise<ActionResult> {
    const startedAt = Date.now();
    const result = (fields: Parameters<typeof actionResultFor>[2]) => actionResultFor(decision, EXECUTOR_NAME, fields);
    const rooms = await this.roomsFor(decision.target.id);
    if (rooms.length === 0)
      return result({ status: 'rejected', error: `no room has target id "${decision.target.id}"`, startedAt });
    const isMode = decision.setting === 'mode';
    const share = isMode ? decision.to : Math.ceil(decision.to / rooms.length);
    const plans = rooms.map(({ config }) => patchForDecision(config, decision.setting, share));
    const failed = plans.find((plan) => !plan.ok);
    if (failed && !failed.ok) return result({ status: 'rejected', error: failed.error, startedAt });
    const ok = plans.filter((plan) => plan.ok);
    const total = (values: number[]) => (isMode ? values[0]! : values.reduce((a, b) => a + b, 0));
    const before = total(ok.map((plan) => plan.before));
    const planned = total(ok.map((plan) => plan.after));
    if (decision.dryRun) return result({ status: 'dry-run', before, after: planned, startedAt });
    const prefix = this.config.VQ_KEY_PREFIX;
    const first = rooms[0]!.room;
    const fresh = await this.redis.client.set(
      `${roomPrefix(prefix, first)}decision:${decision.decisionId}`,
      '1',
      'EX',
      DECISION_MEMORY_SECONDS,
      'NX',
    );
    if (fresh !== 'OK') return result({ status: 'duplicate', before, after: before, startedAt });
    // An older decision arriving late must not undo a newer one for the same setting.
    const lastField = `decisionAt:${decision.setting}`;
    const last = Number((await this.redis.client.hget(roomStateKey(prefix, first), lastField)) ?? 0);
    if (decision.eventTime < last)
      return result({
        status: 'stale',
        before,
        after: before,
        error: `a newer decision (eventTime ${last}) already applied`,
        startedAt,
      });
    await this.redis.client.hset(roomStateKey(prefix, first), lastField, decision.eventTime);
    for (const [i, { room }] of rooms.entries()) await this.rooms.configure(room, ok[i]!.patch, decision.decisionId);
    const readBack = await Promise.all(rooms.map(({ room }) => this.redis.queue.getConfig(room)));
    const values = readBack.map((config) => (config ? currentValue(config, decision.setting as DecisionSetting) : NaN));
    const after = total(values);
    return result({
      status: 'applied',
      before,
      after,
      verified: values.every((v, i) => v === ok[i]!.after),
      startedAt,
    });
  }

  /** Rooms whose target id is the decision's: a configured targetId, else `virtual-queue/<room>`, or the bare name. */
  private async roomsFor(targetId: string): Promise<{ room: string; config: RoomConfig }[]> {
    const matches: { room: string; config: RoomConfig }[] = [];
    for (const room of (await this.redis.queue.listRooms()).sort()) {
      const config = await this.redis.queue.getConfig(room);
      if (config && (roomTargetId(room, config) === targetId || room === targetId)) matches.push({ room, config });
    }
    return matches;
  }
}
