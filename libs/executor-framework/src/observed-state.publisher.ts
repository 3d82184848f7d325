import {
  isReservedMetric,
  METRIC_SAMPLE_SCHEMA_VERSION,
  OBSERVED_STATE_SCHEMA_VERSION,
  type ObservedState,
  type SampleEnvelope,
} from '@surge/contracts';
import type { TargetCatalog, TargetEntry } from '@surge/executor-core';
import { Logger } from '@nestjs/common';
import type { ExecutorRegistry } from './executor.registry';
import { type ConnectionVariables, resolveTarget } from './targets-file.loader';

export interface ObservedStateOptions {
  /** The executor's name, reported as the observation's source. */
  executorName: string;
  intervalMs: number;
  /** Puts observations on the observed-state topic. */
  publishObserved: (observations: ObservedState[]) => Promise<void>;
  /** Puts the workload gauges an adapter also reads (PgBouncer's cl_waiting, …) on the samples topic. */
  publishSamples: (envelopes: SampleEnvelope[]) => Promise<void>;
  /** A read of a target of this kind failed. */
  onFailure?: (kind: string) => void;
  /** Kafka refused a tick's messages. */
  onPublishFailure?: () => void;
  /** The connection variables captured at boot (`connectionVariablesOf`); none by default. */
  connections?: ConnectionVariables;
}

export interface ObservedTick {
  observations: ObservedState[];
  samples: SampleEnvelope[];
}

/** The settings of an entry: its kind's reserved names, and any setting its per-setting bounds name. */
function isSettingOf(entry: TargetEntry, name: string): boolean {
  if (isReservedMetric(name)) return true;
  const bounds = entry.bounds as Record<string, unknown>;
  return typeof bounds['min'] !== 'number' && name in bounds;
}

/**
 * Publishes every owned target's current settings as observed state, so the rules engine sees the truth even
 * when a person or another tool changed the target behind Surge's back. What `observe` returns besides the
 * settings is workload (clients waiting, memory used) and goes on the samples topic like any other metric.
 */
export class ObservedStatePublisher {
  private readonly logger = new Logger(ObservedStatePublisher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly catalog: TargetCatalog,
    private readonly options: ObservedStateOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      // A failed tick must never become an unhandled rejection (Node ends the process on one): it is logged and
      // counted, and the next tick publishes fresh values anyway.
      this.running = this.publishOnce()
        .then(
          () => undefined,
          (error: unknown) => {
            this.options.onPublishFailure?.();
            this.logger.warn(`cannot publish observed state: ${(error as Error).message}`);
          },
        )
        .finally(() => (this.running = null));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async publishOnce(now: number = Date.now()): Promise<ObservedTick> {
    // Targets can appear at run time (a waiting room created through its admin API): a room nobody observes would
    // never get a current value, so the engine would never decide for it and no decision would refresh the catalog.
    await this.catalog.refresh();
    const targets = this.catalog.all().filter((t) => t.allowed && this.registry.owns(t.kind));
    const reads = await Promise.all(targets.map((entry) => this.observe(entry, now)));
    const observations = reads.flatMap((r) => (r?.observation ? [r.observation] : []));
    const samples = reads.flatMap((r) => (r?.samples ? [r.samples] : []));
    await Promise.all([
      observations.length ? this.options.publishObserved(observations) : undefined,
      samples.length ? this.options.publishSamples(samples) : undefined,
    ]);
    return { observations, samples };
  }

  private async observe(
    entry: TargetEntry,
    now: number,
  ): Promise<{ observation: ObservedState | null; samples: SampleEnvelope | null } | null> {
    let values: Record<string, number>;
    try {
      values = await this.registry.forKind(entry.kind).observe(resolveTarget(entry, this.options.connections ?? {}));
    } catch (error) {
      this.options.onFailure?.(entry.kind);
      this.logger.warn(`cannot observe ${entry.id}: ${(error as Error).message}`);
      return null;
    }
    const settings: Record<string, number> = {};
    const workload: SampleEnvelope['samples'] = [];
    for (const [name, value] of Object.entries(values)) {
      if (!Number.isFinite(value)) continue;
      if (isSettingOf(entry, name)) settings[name] = value;
      else
        workload.push({
          schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION,
          target: entry.id,
          metric: name,
          value,
          timestamp: now,
          labels: { source: 'executor', kind: entry.kind },
        });
    }
    return {
      observation: Object.keys(settings).length
        ? observedStateOf(entry, this.options.executorName, settings, now)
        : null,
      samples: workload.length
        ? { schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION, target: entry.id, samples: workload }
        : null,
    };
  }
}

/** One place that shapes an observation, for the periodic reads and for the read-back after an applied decision. */
export function observedStateOf(
  target: { id: string; kind: string },
  executor: string,
  settings: Record<string, number>,
  observedAt: number,
  decisionId?: string,
): ObservedState {
  return {
    schemaVersion: OBSERVED_STATE_SCHEMA_VERSION,
    target: { kind: target.kind, id: target.id },
    executor,
    settings,
    observedAt,
    ...(decisionId ? { decisionId } : {}),
  };
}
