import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '@surge/service-kit';

/** Queue depth and flow on /metrics: depth is the early signal a policy can scale the backend on. */
@Injectable()
export class QueueMetrics {
  readonly waiting: Gauge<'room'>;
  readonly active: Gauge<'room'>;
  readonly arrivalRate: Gauge<'room'>;
  readonly admissionRate: Gauge<'room'>;
  readonly oldestWait: Gauge<'room'>;
  private readonly joins: Counter<'room'>;
  readonly admissions: Counter<'room'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.waiting = new Gauge({
      name: 'surge_queue_waiting',
      help: 'Visitors waiting in line',
      labelNames: ['room'],
      registers,
    });
    this.active = new Gauge({
      name: 'surge_queue_active',
      help: 'Active (admitted) sessions',
      labelNames: ['room'],
      registers,
    });
    this.arrivalRate = new Gauge({
      name: 'surge_queue_arrival_rate',
      help: 'New joins per second over the last report interval',
      labelNames: ['room'],
      registers,
    });
    this.admissionRate = new Gauge({
      name: 'surge_queue_admission_rate',
      help: 'Admissions per second over the last report interval',
      labelNames: ['room'],
      registers,
    });
    this.oldestWait = new Gauge({
      name: 'surge_queue_oldest_wait_seconds',
      help: 'Wait of the visitor at the head of the line',
      labelNames: ['room'],
      registers,
    });
    this.joins = new Counter({
      name: 'surge_queue_join_requests_total',
      help: 'Join requests served by this instance',
      labelNames: ['room'],
      registers,
    });
    this.admissions = new Counter({
      name: 'surge_queue_admissions_total',
      help: 'Admissions made by this instance',
      labelNames: ['room'],
      registers,
    });
  }

  joined(room: string): void {
    this.joins.inc({ room });
  }
}
