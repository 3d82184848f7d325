import { Logger } from '@nestjs/common';
import type { PoolSupervisor } from '../pool/pool.supervisor';
import type { RoundRobinProxy } from '../proxy/round-robin.proxy';
import { CpuSampler } from './cpu.sampler';
import type { RequestWindow } from './request-window';

export interface ReporterOptions {
  /** metrics-ingest base URL; without it the figures are still computed (for /v1/pool) but sent nowhere. */
  ingestUrl: string | undefined;
  ingestToken: string | undefined;
  target: string;
  intervalMs: number;
}

export interface ShopFigures {
  http_requests_per_second: number;
  http_p95_ms: number;
  error_rate: number;
  inflight_requests: number;
  cpu_utilization?: number;
}

/**
 * Reports the shop's figures once per target, measured at the proxy, rather than once per copy: target tracking
 * (HPA's desired = ceil(current × metric / target)) wants whole-target rate and latency, and a p95 cannot be
 * rebuilt from per-copy p95s. CPU is the average over ready copies, HPA's averageUtilization.
 */
export class PoolMetricsReporter {
  private readonly logger = new Logger(PoolMetricsReporter.name);
  private readonly cpu = new CpuSampler();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;
  latest: ShopFigures | null = null;

  constructor(
    private readonly options: ReporterOptions,
    private readonly window: RequestWindow,
    private readonly proxy: RoundRobinProxy,
    private readonly supervisor: PoolSupervisor,
  ) {}

  start(): void {
    // report() logs a failed send itself; the catch is for a fault before it (sampling), which must not end the pool.
    this.timer = setInterval(
      () => void this.report().catch((error: Error) => this.logger.warn(`cannot sample the pool: ${error.message}`)),
      this.options.intervalMs,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async report(): Promise<void> {
    const figures = this.window.tick();
    const cpu = this.cpu.sample(this.supervisor.readyPids());
    this.latest = {
      http_requests_per_second: round(figures.requestsPerSecond),
      http_p95_ms: round(figures.p95Ms),
      error_rate: round(figures.errorRate, 4),
      inflight_requests: this.proxy.inflightRequests(),
      ...(cpu === null ? {} : { cpu_utilization: round(cpu) }),
    };
    if (!this.options.ingestUrl) return;
    const timestamp = Date.now();
    const samples = Object.entries(this.latest).map(([metric, value]) => ({
      target: this.options.target,
      metric,
      value,
      timestamp,
    }));
    try {
      const response = await fetch(new URL('/v1/samples', this.options.ingestUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.ingestToken ? { authorization: `Bearer ${this.options.ingestToken}` } : {}),
        },
        body: JSON.stringify({ samples }),
        signal: AbortSignal.timeout(Math.max(500, this.options.intervalMs)),
      });
      if (!response.ok) throw new Error(`ingest answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      if (this.failing) this.logger.log('reporting to ingest again');
      this.failing = false;
    } catch (error) {
      // One line per outage, not one per second: ingest may simply not be up yet.
      if (!this.failing) this.logger.warn(`cannot report shop metrics to ingest: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
