/** One monthly partition: its table name and its [from, to) range in UTC. */
export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

const NAME = /^events_y(\d{4})m(\d{2})$/;

export function monthStart(time: Date | number): Date {
  const date = new Date(time);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function addMonths(month: Date, count: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + count, 1));
}

export function partitionFor(time: Date | number): MonthPartition {
  const from = monthStart(time);
  const name = `events_y${from.getUTCFullYear()}m${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name, from, to: addMonths(from, 1) };
}

/** The current month and `ahead` months after it, so inserts never wait on DDL at a month boundary. */
export function partitionsToCreate(now: Date, ahead: number): MonthPartition[] {
  const current = monthStart(now);
  return Array.from({ length: ahead + 1 }, (_, i) => partitionFor(addMonths(current, i)));
}

/**
 * Partitions entirely older than the retention: a partition is dropped once its whole range ends before
 * `now - retentionMonths`, so at least `retentionMonths` of history is always kept.
 */
export function partitionsToDrop(existing: string[], now: Date, retentionMonths: number): string[] {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - retentionMonths);
  return existing.filter((name) => {
    const match = NAME.exec(name);
    if (!match) return false;
    const end = new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
    return end.getTime() <= cutoff.getTime();
  });
}
