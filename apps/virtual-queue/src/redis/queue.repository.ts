import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { roomConfigSchema, type RoomConfig, type RoomState, type SettingSources } from '@surge/queue-core';
import { ADMIT_LUA, SWEEP_LUA } from './admit-scripts.lua';
import { COMPLETE_LUA, configureLua, JOIN_LUA, LEAVE_LUA, STATUS_LUA } from './room-scripts.lua';
import { checkLayout, refusedLayout, RoomLayoutMismatch } from './room-layout';
import { roomPrefix, roomsIndexKey, roomStateKey } from './room-keys';
import { toState, type AdmitRound, type JoinGate, type JoinLimit, type Reply, type TicketState } from './ticket-state';

interface QueueCommands {
  vqJoin(
    key: string,
    prefix: string,
    visitorId: string,
    seed: number,
    ip: string,
    limit: number,
    windowSeconds: number,
    gate: string,
    gateTtlMs: number,
  ): Promise<Reply>;
  vqStatus(key: string, prefix: string, visitorId: string, touch: string, seed: number): Promise<Reply>;
  vqLeave(key: string, prefix: string, visitorId: string): Promise<string>;
  vqComplete(key: string, prefix: string, visitorId: string): Promise<string>;
  vqAdmit(key: string, prefix: string, seed: number, maxBatch: number, maxSteps: number): Promise<number[]>;
  vqSweep(key: string, prefix: string, maxBuckets: number): Promise<number>;
  vqConfigure(key: string, index: string, room: string, ...fields: (string | number)[]): Promise<number>;
}

const STATE_COUNTERS = [
  'waiting',
  'joined',
  'admitted',
  'left',
  'expired',
  'completed',
  'sessionsExpired',
  'sessionsEnded',
  'seq',
  'head',
] as const;
export type RoomCounters = Record<(typeof STATE_COUNTERS)[number], number>;

// Per-setting decision times the room once kept itself; decisions' ordering now lives in the executor store.
const RETIRED_STATE_FIELDS = ['decisionAt:maxActive', 'decisionAt:admitPerMinute', 'decisionAt:mode'];

/** The room's data in Redis. Every state change is one Lua script, so concurrent instances never interleave. */
export class QueueRepository {
  private readonly redis: Redis & QueueCommands;

  constructor(
    redis: Redis,
    private readonly keyPrefix = '',
  ) {
    const commands: [keyof QueueCommands, string][] = [
      ['vqJoin', JOIN_LUA],
      ['vqStatus', STATUS_LUA],
      ['vqLeave', LEAVE_LUA],
      ['vqComplete', COMPLETE_LUA],
      ['vqAdmit', ADMIT_LUA],
      ['vqSweep', SWEEP_LUA],
    ];
    for (const [name, lua] of commands) if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    if (!('vqConfigure' in redis))
      redis.defineCommand('vqConfigure', { numberOfKeys: 2, lua: configureLua(RETIRED_STATE_FIELDS) });
    this.redis = redis as Redis & QueueCommands;
  }

  /**
   * `sources` says who set each setting last (see applyPatch and applyFileEntry in queue-core). Throws
   * RoomLayoutMismatch, writing nothing, for a room another release stored in another layout.
   */
  async configure(room: string, config: RoomConfig, sources: SettingSources = {}): Promise<void> {
    const fields = {
      mode: config.mode,
      maxActive: config.maxActive,
      admitPerMinute: config.admitPerMinute,
      sessionSeconds: config.sessionSeconds,
      heartbeatTimeoutSeconds: config.heartbeatTimeoutSeconds,
      opensAt: config.opensAt ?? 0,
      config: JSON.stringify(config),
      sources: JSON.stringify(sources),
    };
    await this.guarded(room, () =>
      this.redis.vqConfigure(
        this.stateKey(room),
        roomsIndexKey(this.keyPrefix),
        room,
        ...Object.entries(fields).flat(),
      ),
    );
  }

  async getConfig(room: string): Promise<RoomConfig | null> {
    return (await this.getState(room))?.config ?? null;
  }

  /** The room's config with the source of each setting; a room written before sources were kept has none. */
  async getState(room: string): Promise<RoomState | null> {
    const [json, sources, layout] = await this.redis.hmget(this.stateKey(room), 'config', 'sources', 'layout');
    if (!json) return null;
    checkLayout(room, layout ?? null);
    return {
      config: roomConfigSchema.parse(JSON.parse(json)),
      sources: sources ? (JSON.parse(sources) as SettingSources) : {},
    };
  }

  async listRooms(): Promise<string[]> {
    return this.redis.smembers(roomsIndexKey(this.keyPrefix));
  }

  /** Every room with its config, by name; a room listed but without a config (being created) is left out. */
  async roomConfigs(): Promise<{ room: string; config: RoomConfig }[]> {
    const rooms = (await this.listRooms()).sort();
    const configs = await Promise.all(rooms.map((room) => this.getConfig(room)));
    return rooms.flatMap((room, i) => (configs[i] ? [{ room, config: configs[i] }] : []));
  }

  async join(room: string, visitorId: string, limit?: JoinLimit, gate?: JoinGate): Promise<TicketState> {
    const reply = await this.guarded(room, () =>
      this.redis.vqJoin(
        this.stateKey(room),
        this.prefix(room),
        visitorId,
        seed(),
        limit?.ip ?? '',
        limit?.perWindow ?? 0,
        limit?.windowSeconds ?? 60,
        gate ? (gate.kind === 'required' ? '?' : gate.nonce) : '',
        gate?.kind === 'spend' ? Math.max(1, Math.ceil(gate.ttlMs)) : 0,
      ),
    );
    if (reply[0] === 'rate_limited')
      return { ...toState(['rate_limited']), retryAfterSeconds: Math.max(1, reply[1] ?? 1) };
    return toState(reply);
  }

  /** A poll or heartbeat when `touch`: either keeps the visitor's place. */
  async status(room: string, visitorId: string, touch: boolean): Promise<TicketState> {
    return toState(
      await this.guarded(room, () =>
        this.redis.vqStatus(this.stateKey(room), this.prefix(room), visitorId, touch ? '1' : '0', seed()),
      ),
    );
  }

  async leave(room: string, visitorId: string): Promise<'left' | 'gone'> {
    return (await this.guarded(room, () => this.redis.vqLeave(this.stateKey(room), this.prefix(room), visitorId))) as
      'left' | 'gone';
  }

  async complete(room: string, visitorId: string): Promise<'completed' | 'not_active'> {
    return (await this.guarded(room, () =>
      this.redis.vqComplete(this.stateKey(room), this.prefix(room), visitorId),
    )) as 'completed' | 'not_active';
  }

  async admit(room: string, maxBatch = 10_000, maxSteps = 50_000): Promise<AdmitRound | null> {
    const [admitted, sessionsReleased, active, waiting] = await this.guarded(room, () =>
      this.redis.vqAdmit(this.stateKey(room), this.prefix(room), seed(), maxBatch, maxSteps),
    );
    if (admitted === -1) return null;
    return { admitted: admitted!, sessionsReleased: sessionsReleased!, active: active!, waiting: waiting! };
  }

  async sweep(room: string, maxBuckets = 64): Promise<number> {
    return this.guarded(room, () => this.redis.vqSweep(this.stateKey(room), this.prefix(room), maxBuckets));
  }

  async recordObservedRate(room: string, perSecond: number): Promise<void> {
    await this.redis.hset(this.stateKey(room), 'observedPerSecond', perSecond.toFixed(3));
  }

  async counters(
    room: string,
  ): Promise<{ counters: RoomCounters; active: number; oldestWaitMs: number | null; nowMs: number } | null> {
    const prefix = this.prefix(room);
    const [[, values], [, active], [, time]] = (await this.redis
      .multi()
      .hmget(this.stateKey(room), 'mode', 'layout', ...STATE_COUNTERS)
      .zcard(`${prefix}a`)
      .time()
      .exec()) as [[null, (string | null)[]], [null, number], [null, [string, string]]];
    if (!values[0]) return null;
    checkLayout(room, values[1] ?? null);
    const counters = Object.fromEntries(
      STATE_COUNTERS.map((name, i) => [name, Number(values[i + 2] ?? 0)]),
    ) as RoomCounters;
    const nowMs = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    const firstBucket = Math.floor((counters.head + 1) / 128);
    const firstJoin = counters.waiting > 0 ? await this.redis.hget(`${prefix}bt`, String(firstBucket)) : null;
    return { counters, active, oldestWaitMs: firstJoin ? Math.max(0, nowMs - Number(firstJoin)) : null, nowMs };
  }

  /** A room script's refusal of the room's layout, as the error that names the room. */
  private async guarded<T>(room: string, script: () => Promise<T>): Promise<T> {
    try {
      return await script();
    } catch (error) {
      const found = refusedLayout(error);
      throw found === undefined ? error : new RoomLayoutMismatch(room, found);
    }
  }

  private prefix(room: string): string {
    return roomPrefix(this.keyPrefix, room);
  }

  private stateKey(room: string): string {
    return roomStateKey(this.keyPrefix, room);
  }
}

function seed(): number {
  return randomInt(1, 2_147_483_646);
}
