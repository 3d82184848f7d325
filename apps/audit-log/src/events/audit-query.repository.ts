import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { PgPool } from '../database/pg-pool.provider';
import type { StoredAuditEvent } from './audit-row';
import { EVENT_COLUMNS, type EventDbRow, fromDbRow } from './event-columns';
import { type EventCursor, encodeCursor } from './event-cursor';
import type { EventFilter } from './event-filter';

export interface EventPage {
  events: StoredAuditEvent[];
  nextCursor: string | null;
}

/**
 * Reads newest first with keyset pagination on (record_time, id): a page starts strictly after the previous
 * page's last row, so rows inserted meanwhile never shift a page and no row comes back twice.
 */
@Injectable()
export class AuditQueryRepository {
  constructor(
    private readonly pg: PgPool,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
  ) {}

  async list(filter: EventFilter): Promise<EventPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.target !== undefined) add((p) => `target_id = ${p}`, filter.target);
    if (filter.decisionId !== undefined) add((p) => `decision_id = ${p}`, filter.decisionId);
    if (filter.status !== undefined) add((p) => `status = ${p}`, filter.status);
    if (filter.from !== undefined) add((p) => `record_time >= ${p}`, filter.from);
    if (filter.to !== undefined) add((p) => `record_time < ${p}`, filter.to);
    if (filter.types?.length) {
      const exact = filter.types.filter((t) => t.includes('.') || !FAMILIES.has(t));
      const families = filter.types.filter((t) => FAMILIES.has(t)).map((t) => `${t}.%`);
      params.push(exact, families);
      where.push(`(event_type = ANY($${params.length - 1}::text[]) OR event_type LIKE ANY($${params.length}::text[]))`);
    }
    if (filter.cursor) {
      params.push(new Date(filter.cursor.timeMs), filter.cursor.id);
      where.push(`(record_time, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const text = `SELECT ${EVENT_COLUMNS} FROM "${this.config.SURGE_AUDIT_SCHEMA}".events
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY record_time DESC, id DESC LIMIT $${params.length}`;
    // Named statements are prepared once per connection: planning over every partition costs more than running the query.
    const name = `audit-events-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    const { rows } = await this.pg.pool.query<EventDbRow>({ name, text, values: params });
    const events = rows.slice(0, filter.limit).map(fromDbRow);
    const last = events[events.length - 1];
    const next: EventCursor | null =
      rows.length > filter.limit && last ? { timeMs: last.recordTime.getTime(), id: last.id } : null;
    return { events, nextCursor: next ? encodeCursor(next) : null };
  }

  /** Dead letters in the window and the most recent of them, for the console's dead-letter panel. */
  async deadLetters(since: Date, recent: number): Promise<{ count: number; recent: StoredAuditEvent[] }> {
    const schema = this.config.SURGE_AUDIT_SCHEMA;
    const [count, rows] = await Promise.all([
      this.pg.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".events WHERE event_type = 'deadletter' AND record_time >= $1`,
        [since],
      ),
      this.pg.pool.query<EventDbRow>(
        `SELECT ${EVENT_COLUMNS} FROM "${schema}".events WHERE event_type = 'deadletter' ORDER BY record_time DESC, id DESC LIMIT $1`,
        [recent],
      ),
    ]);
    return { count: Number(count.rows[0]?.n ?? 0), recent: rows.rows.map(fromDbRow) };
  }

  /** Every row carrying the decision id, oldest first: the decision, its actions, and queue changes it caused. */
  /** The step decisions of one plan run and their action results, in the order they were recorded. */
  async byPlanRun(runId: string): Promise<StoredAuditEvent[]> {
    const { rows } = await this.pg.pool.query<EventDbRow>(
      `SELECT ${EVENT_COLUMNS} FROM "${this.config.SURGE_AUDIT_SCHEMA}".events WHERE payload ? 'plan' AND payload->'plan'->>'runId' = $1 ORDER BY record_time, id LIMIT 1000`,
      [runId],
    );
    return rows.map(fromDbRow);
  }

  async byDecision(decisionId: string): Promise<StoredAuditEvent[]> {
    const { rows } = await this.pg.pool.query<EventDbRow>(
      `SELECT ${EVENT_COLUMNS} FROM "${this.config.SURGE_AUDIT_SCHEMA}".events WHERE decision_id = $1 ORDER BY record_time, id LIMIT 1000`,
      [decisionId],
    );
    return rows.map(fromDbRow);
  }
}

const FAMILIES = new Set(['queue', 'control']);
