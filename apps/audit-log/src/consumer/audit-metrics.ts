import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Histogram } from 'prom-client';

@Injectable()
export class AuditMetrics {
  readonly rowsWritten: Counter<'topic'>;
  readonly duplicatesSkipped: Counter;
  readonly writeSeconds: Histogram;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.rowsWritten = new Counter({
      name: 'surge_audit_rows_written_total',
      help: 'Audit rows inserted, by source topic',
      labelNames: ['topic'],
      registers,
    });
    this.duplicatesSkipped = new Counter({
      name: 'surge_audit_duplicates_skipped_total',
      help: 'Redelivered records ignored by the unique key',
      registers,
    });
    this.writeSeconds = new Histogram({
      name: 'surge_audit_write_duration_seconds',
      help: 'Time to insert one batch into PostgreSQL',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }
}
