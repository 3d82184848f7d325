import { METRIC_SAMPLE_SCHEMA_VERSION, type SampleEnvelope } from '@surge/contracts';
import type { TargetCatalog } from '@surge/executor-core';
import { Logger } from '@nestjs/common';
import type { ExecutorRegistry } from './executor.registry';
import { resolveTarget } from './targets-file.loader';

export interface ObservedStateOptions {
  intervalMs: number;
  publish: (envelopes: SampleEnvelope[]) => Promise<void>;
  onFailure?: (kind: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Publishes every owned target's current values as samples named after the setting, so the rules engine sees the
 * truth even when a person or another tool changed the target behind Surge's back.
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
      if (!this.running)
        this.running = this.publishOnce()
          .then(() => undefined)
          .finally(() => (this.running = null));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async publishOnce(now: number = Date.now()): Promise<SampleEnvelope[]> {
    const targets = this.catalog.all().filter((t) => t.allowed && this.registry.owns(t.kind));
    const envelopes = await Promise.all(
      targets.map(async (entry): Promise<SampleEnvelope | null> => {
        try {
          const values = await this.registry.forKind(entry.kind).observe(resolveTarget(entry, this.options.env));
          const samples = Object.entries(values).map(([metric, value]) => ({
            schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION as typeof METRIC_SAMPLE_SCHEMA_VERSION,
            target: entry.id,
            metric,
            value,
            timestamp: now,
            labels: { source: 'executor', kind: entry.kind },
          }));
          return samples.length ? { schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION, target: entry.id, samples } : null;
        } catch (error) {
          this.options.onFailure?.(entry.kind);
          this.logger.warn(`cannot observe ${entry.id}: ${(error as Error).message}`);
          return null;
        }
      }),
    );
    const ready = envelopes.filter((e): e is SampleEnvelope => e !== null);
    if (ready.length) await this.options.publish(ready);
    return ready;
  }
}
