import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Histogram } from 'prom-client';

export type SampleSource = 'json' | 'remote_write';

@Injectable()
export class IngestMetrics {
  readonly received: Counter<'source'>;
  readonly rejected: Counter<'source' | 'reason'>;
  readonly produceSeconds: Histogram<'outcome'>;
  readonly batchSamples: Histogram<'source'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.received = new Counter({
      name: 'surge_ingest_samples_received_total',
      help: 'Samples received, by source, before validation',
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'surge_ingest_samples_rejected_total',
      help: 'Samples not accepted, by reason (the bad field, or kafka_unavailable)',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.produceSeconds = new Histogram({
      name: 'surge_ingest_produce_duration_seconds',
      help: 'From handing a batch to the producer until Kafka acknowledged every message of it',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.batchSamples = new Histogram({
      name: 'surge_ingest_batch_samples',
      help: 'Samples per request',
      labelNames: ['source'],
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 10_000, 50_000],
      registers,
    });
  }
}
