import { Injectable } from '@nestjs/common';
import type { TargetStatus } from '@surge/contracts';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Gauge } from 'prom-client';
import { TargetStatusReader } from './target-status.reader';

/** A scrape waits no longer than this for Redis: Prometheus' default scrape timeout is 10 s, and other series wait. */
export const TARGET_STATUS_SCRAPE_TIMEOUT_MS = 2_000;

/** Every target's status, or why there is none this scrape. */
type Snapshot = { ok: true; statuses: TargetStatus[] } | { ok: false };

/**
 * Per policy target, what the status API tells, as gauges filled at scrape time (KEDA's
 * `keda_scaler_metrics_value` for Surge): the current and desired value of the setting, and each metric's latest
 * value, target and recommendation. One series per target and per target and metric, whatever the samples' labels, so
 * the cardinality is the policies'. Each scrape reads every target's state in one MGET, shared by all gauges.
 */
@Injectable()
export class TargetStatusMetrics {
  /** The scrape's snapshot, while its gauges collect: the gauges of one scrape share one read. */
  private snapshot?: Promise<Snapshot>;
  /** A read that outlived its scrape's timeout: the next scrape waits on it rather than piling reads on Redis. */
  private load?: Promise<Snapshot>;
  /** How long a scrape waits for the read: a field, so a test can shorten it. */
  timeoutMs = TARGET_STATUS_SCRAPE_TIMEOUT_MS;

  constructor(
    metrics: MetricsRegistry,
    private readonly reader: TargetStatusReader,
  ) {
    const registers = [metrics.registry];
    const read = (): Promise<Snapshot> =>
      // read() never rejects: a failed read is a snapshot of its own.
      (this.snapshot ??= this.read(errors).then((snapshot) => {
        this.snapshot = undefined;
        return snapshot;
      }));
    const errors = new Counter({
      name: 'surge_target_status_errors_total',
      help: "Scrapes whose per-target series are absent: the targets' state could not be read from Redis in time",
      registers,
      // Waits for the scrape's read, so a scrape that fails counts itself.
      async collect() {
        await read();
      },
    });
    perTarget(registers, read, {
      name: 'surge_target_current',
      help: "The setting's current value, as the engine last observed it",
      labelNames: ['target', 'setting'],
      series: (s) => [[{ target: s.target.id, setting: s.policy.setting }, s.current]],
    });
    perTarget(registers, read, {
      name: 'surge_target_desired',
      help: 'The value the engine would decide now (the current one when it would decide nothing)',
      labelNames: ['target', 'setting'],
      series: (s) => [[{ target: s.target.id, setting: s.policy.setting }, s.desired]],
    });
    perTarget(registers, read, {
      name: 'surge_target_metric_value',
      help: "Each metric's latest sample the policy reads (absent while missing)",
      labelNames: ['target', 'metric'],
      series: (s) => s.metrics.map((m) => [{ target: s.target.id, metric: m.metric }, m.missing ? null : m.value]),
    });
    // The policy's own target for the metric, beside its value, as kube-state-metrics gives an HPA's.
    perTarget(registers, read, {
      name: 'surge_target_metric_target',
      help: "Each metric's target in the policy (a percentage for a Utilization target)",
      labelNames: ['target', 'metric'],
      series: (s) => s.metrics.map((m) => [{ target: s.target.id, metric: m.metric }, m.target]),
    });
    perTarget(registers, read, {
      name: 'surge_target_metric_recommendation',
      help: "The setting's value each metric alone asks for, before the policy's bounds and behavior",
      labelNames: ['target', 'metric'],
      series: (s) => s.metrics.map((m) => [{ target: s.target.id, metric: m.metric }, m.recommendation]),
    });
  }

  private async read(errors: Counter): Promise<Snapshot> {
    const load = (this.load ??= this.reader
      .all()
      .then(
        (statuses): Snapshot => ({ ok: true, statuses }),
        (): Snapshot => ({ ok: false }),
      )
      .finally(() => (this.load = undefined)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Snapshot>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false }), this.timeoutMs);
    });
    const snapshot = await Promise.race([load, timedOut]);
    clearTimeout(timer);
    if (!snapshot.ok) errors.inc();
    return snapshot;
  }
}

type Labels<L extends string> = Record<L, string>;

interface PerTargetGauge<L extends string> {
  name: string;
  help: string;
  labelNames: L[];
  /** A target's series; a null value (unknown) has no series rather than a made-up number. */
  series: (status: TargetStatus) => [Labels<L>, number | null][];
}

function perTarget<L extends string>(
  registers: MetricsRegistry['registry'][],
  read: () => Promise<Snapshot>,
  spec: PerTargetGauge<L>,
): void {
  new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    registers,
    async collect() {
      const snapshot = await read();
      // Reset first: a removed policy's target, or every target when the read failed, keeps no stale series.
      this.reset();
      if (!snapshot.ok) return;
      for (const status of snapshot.statuses)
        for (const [labels, value] of spec.series(status)) if (value !== null) this.set(labels, value);
    },
  });
}
