import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { AuditEventView } from './audit-row';

/**
 * In-process fan-out of rows just written, for the SSE stream. Every instance consumes every partition
 * assigned to it only, so a client of one instance sees that instance's writes; with several instances the
 * console should be pinned to one (or the stream moved to LISTEN/NOTIFY).
 */
@Injectable()
export class AuditEventBus {
  readonly events = new Subject<AuditEventView>();

  publish(events: AuditEventView[]): void {
    for (const event of events) this.events.next(event);
  }
}
