import { Injectable } from '@nestjs/common';
import { PermanentFailure } from '@surge/kafka';
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
    const inserted = await this.repository.insertBatch(rows).catch((error: unknown) => {
      throw isBadRow(error)
        ? new PermanentFailure((error as Error).message, 'handler-failed', { cause: error })
        : error;
    });
    stopTimer();
    for (const row of inserted) this.metrics.rowsWritten.inc({ topic: row.topic });
    this.metrics.duplicatesSkipped.inc(rows.length - inserted.length);
    this.bus.publish(inserted.map(toView));
    return inserted.length;
  }
}

/**
 * SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the row itself can never be stored. Every
 * other error (connection refused or reset, admin shutdown, a timeout) is PostgreSQL being unavailable: waited for.
 */
function isBadRow(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
