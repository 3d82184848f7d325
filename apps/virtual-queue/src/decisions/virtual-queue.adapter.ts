import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';
import { currentValue, DECISION_SETTINGS, type DecisionSetting, patchForDecision } from '@surge/queue-core';
import { ReplyError } from 'ioredis';
import { ZodError } from 'zod';
import type { RoomAdminService } from '../admin/room-admin.service';
import type { QueueRepository } from '../redis/queue.repository';
import { roomsOfTarget, type TargetRoom, VIRTUAL_QUEUE_KIND } from './room-target.catalog';

/**
 * The waiting room as an executor. A sale sharded over several rooms shares one target id: a capacity setting is
 * split evenly across its rooms (rounded up) and read as their sum; a mode applies to every room and is read from
 * the first. Rooms are looked up in Redis on every call, so a room created a moment ago is already a target.
 */
export class VirtualQueueAdapter implements Executor {
  readonly kinds = [VIRTUAL_QUEUE_KIND];

  constructor(
    private readonly queue: QueueRepository,
    private readonly admin: RoomAdminService,
  ) {}

  async read(target: ResolvedTarget, setting: string): Promise<number> {
    const decisionSetting = settingOf(setting);
    const rooms = await this.rooms(target);
    return total(
      decisionSetting,
      rooms.map(({ config }) => currentValue(config, decisionSetting)),
    );
  }

  async check(target: ResolvedTarget, setting: string, value: number): Promise<void> {
    this.plan(await this.rooms(target), setting, value);
  }

  /** Returns the sum of the shares set, which exceeds `value` when it does not divide evenly across the rooms. */
  async apply(target: ResolvedTarget, setting: string, value: number, ctx: ApplyContext): Promise<number> {
    const rooms = await this.rooms(target);
    const plans = this.plan(rooms, setting, value);
    // Values are absolute, so after a failure half-way through the shards a retry sets every shard again.
    for (const [i, { room }] of rooms.entries())
      await redisCall(
        () => this.admin.configure(room, plans[i]!.patch, 'decision', { decisionId: ctx.decision.decisionId }),
        `configure ${room}`,
      );
    return total(
      settingOf(setting),
      plans.map((plan) => plan.after),
    );
  }

  async observe(target: ResolvedTarget): Promise<Record<string, number>> {
    const rooms = await this.rooms(target);
    return Object.fromEntries(
      DECISION_SETTINGS.map((setting) => [
        setting,
        total(
          setting,
          rooms.map(({ config }) => currentValue(config, setting)),
        ),
      ]),
    );
  }

  private async rooms(target: ResolvedTarget): Promise<TargetRoom[]> {
    const rooms = roomsOfTarget(await redisCall(() => this.queue.roomConfigs(), 'list rooms'), target.entry.id);
    if (rooms.length === 0)
      throw new ExecutorError(ExecutorErrorCode.NotFound, `no room has target id "${target.entry.id}"`);
    return rooms;
  }

  /** Each room's patch for its share; a value a room cannot take is a refusal, which no retry would change. */
  private plan(rooms: TargetRoom[], setting: string, value: number) {
    const share = settingOf(setting) === 'mode' ? value : Math.ceil(value / rooms.length);
    return rooms.map(({ config }) => {
      const plan = patchForDecision(config, setting, share);
      if (!plan.ok) throw new ExecutorError(ExecutorErrorCode.Refused, plan.error);
      return plan;
    });
  }
}

function settingOf(setting: string): DecisionSetting {
  if ((DECISION_SETTINGS as readonly string[]).includes(setting)) return setting as DecisionSetting;
  throw new ExecutorError(
    ExecutorErrorCode.Refused,
    `setting "${setting}" is not one of ${DECISION_SETTINGS.join(', ')}`,
  );
}

function total(setting: DecisionSetting, values: number[]): number {
  return setting === 'mode' ? values[0]! : values.reduce((sum, v) => sum + v, 0);
}

/**
 * Redis saying no (a reply error) or a stored config that no longer parses will not change on a retry; anything
 * else (a refused or dropped connection, a command timed out) is the server being away, which the framework's
 * ApplyRunner retries with backoff.
 */
async function redisCall<T>(work: () => Promise<T>, what: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ExecutorError) throw error;
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    const permanent = error instanceof ReplyError || error instanceof ZodError;
    throw new ExecutorError(permanent ? ExecutorErrorCode.Invalid : ExecutorErrorCode.Unavailable, message, {
      cause: error,
    });
  }
}
