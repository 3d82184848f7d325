import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ewma, roomTargetId } from '@surge/queue-core';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { QueueEventsPublisher } from '../events/queue-events.publisher';
import { QueueMetrics } from '../events/queue-metrics';
import { roomPrefix, roomStateKey } from '../redis/room-keys';
import { RedisProvider } from '../redis/redis.provider';

interface ReportSnapshot {
  at: number;
  joined: number;
  admitted: number;
  arrivalPerSecond: number;
  admissionPerSecond: number;
}

/**
 * Once per interval, one instance (a Redis lock decides which) turns the room's counters into rates, publishes
 * an `admissions` queue event and queue_waiting samples, and feeds the observed admission rate to the ETA.
 * The previous snapshot lives in Redis, so rates stay right whichever instance reports.
 */
@Injectable()
export class RoomReporterService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoomReporterService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisProvider,
    private readonly metrics: QueueMetrics,
    private readonly events: QueueEventsPublisher,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  onApplicationBootstrap(): void {
    // reportAll() logs its own failures; the catch keeps any that escapes from becoming an unhandled rejection.
    this.timer = setInterval(
      () => void this.reportAll().catch((error: Error) => this.logger.warn(`report failed: ${error.message}`)),
      this.config.VQ_REPORT_INTERVAL_MS,
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  async reportAll(): Promise<void> {
    try {
      for (const room of await this.redis.queue.listRooms()) await this.report(room);
    } catch (error) {
      this.logger.warn(`report failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async report(room: string): Promise<void> {
    const prefix = this.config.VQ_KEY_PREFIX;
    const lock = await this.redis.client.set(
      `${roomPrefix(prefix, room)}report-lock`,
      '1',
      'PX',
      Math.max(50, this.config.VQ_REPORT_INTERVAL_MS - 50),
      'NX',
    );
    const snapshot = await this.redis.queue.counters(room);
    const config = await this.redis.queue.getConfig(room);
    if (!snapshot || !config) return;
    const { counters, active, oldestWaitMs, nowMs } = snapshot;
    this.metrics.waiting.set({ room }, counters.waiting);
    this.metrics.active.set({ room }, active);
    this.metrics.oldestWait.set({ room }, (oldestWaitMs ?? 0) / 1000);
    const previous = await this.previous(room);
    const seconds = previous ? Math.max(0.001, (nowMs - previous.at) / 1000) : 0;
    const arrival = previous && seconds > 0 ? (counters.joined - previous.joined) / seconds : 0;
    const admission = previous && seconds > 0 ? (counters.admitted - previous.admitted) / seconds : 0;
    this.metrics.arrivalRate.set({ room }, arrival);
    this.metrics.admissionRate.set({ room }, admission);
    if (lock !== 'OK') return;
    const next: ReportSnapshot = {
      at: nowMs,
      joined: counters.joined,
      admitted: counters.admitted,
      arrivalPerSecond: arrival,
      admissionPerSecond: admission,
    };
    const observed = await this.redis.client.hget(roomStateKey(prefix, room), 'observedPerSecond');
    const fields: Record<string, string> = { report: JSON.stringify(next) };
    // Only a line that waits measures the admission rate; an empty line would teach the ETA a rate of zero.
    if (previous && counters.waiting > 0)
      fields['observedPerSecond'] = ewma(observed ? Number(observed) : null, admission).toFixed(3);
    await this.redis.client.hset(roomStateKey(prefix, room), fields);
    if (!previous) return;
    await this.events.event({
      room,
      type: 'admissions',
      admitted: counters.admitted - previous.admitted,
      intervalMs: Math.max(1, nowMs - previous.at),
      waiting: counters.waiting,
      active,
      maxActive: config.maxActive,
      admitPerMinute: config.admitPerMinute,
      mode: config.mode,
    });
    await this.events.samples(
      roomTargetId(room, config),
      {
        queue_waiting: counters.waiting,
        queue_active: active,
        queue_arrival_rate: arrival,
        queue_admission_rate: admission,
      },
      nowMs,
      room,
    );
  }

  async start(room: string): Promise<void> {
    const initial: ReportSnapshot = {
      at: Date.now(),
      joined: 0,
      admitted: 0,
      arrivalPerSecond: 0,
      admissionPerSecond: 0,
    };
    await this.redis.client.hsetnx(roomStateKey(this.config.VQ_KEY_PREFIX, room), 'report', JSON.stringify(initial));
  }

  async previous(room: string): Promise<ReportSnapshot | null> {
    const json = await this.redis.client.hget(roomStateKey(this.config.VQ_KEY_PREFIX, room), 'report');
    return json ? (JSON.parse(json) as ReportSnapshot) : null;
  }
}
