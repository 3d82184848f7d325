import { Injectable } from '@nestjs/common';
import { AuditEventBus } from '../events/audit-event-bus';
import { AuditEventRepository } from '../events/audit-event.repository';
import { type AuditRow, toView } from '../events/audit-row';
import { AuditMetrics } from './audit-metrics';

/** Writes one consumed batch, records the metrics, and hands the new rows to the live stream. */
@Injectable()
export class AuditWriterService {
  constructor(
    private readonly repository: AuditEventRepository,
    private readonly bus: AuditEventBus,
    private readonly metrics: AuditMetrics,
  ) {}

  async write(rows: AuditRow[]): Promise<number> {
    const stopTimer = this.metrics.writeSeconds.startTimer();
    const inserted = await this.repository.insertBatch(rows);
    stopTimer();
    for (const row of inserted) this.metrics.rowsWritten.inc({ topic: row.topic });
    this.metrics.duplicatesSkipped.inc(rows.length - inserted.length);
    this.bus.publish(inserted.map(toView));
    return inserted.length;
  }
}
