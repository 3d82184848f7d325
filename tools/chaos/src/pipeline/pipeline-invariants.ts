import type { ActionResult } from '@surge/contracts';
import { Pool } from 'pg';
import type { ChaosPipeline, PipelineService } from './chaos-pipeline';
import { finalResults } from './decision-driver';
import { API, ROOM, WEB } from './pipeline-files';
import { readTopics, type TopicRecord } from './topic-reader';

export interface PipelineCounts {
  decisions: number;
  /** Decisions without a final result on the actions topic. */
  lost: number;
  /** Final results beyond the first, and back-end changes beyond one per applied decision. */
  duplicated: number;
  checks: Record<string, boolean>;
  notes: string[];
}

const parse = (record: TopicRecord): Record<string, unknown> =>
  JSON.parse(record.value ?? '{}') as Record<string, unknown>;

/**
 * The pipeline's invariants, each counted by a reader independent of the services: a fresh consumer group on the
 * topics, the Kubernetes stand-in's own log of PATCH requests, and a plain SQL query of the audit table.
 */
export async function checkPipeline(pipeline: ChaosPipeline, options: { audit: boolean }): Promise<PipelineCounts> {
  const { bed, api } = pipeline;
  const { brokers } = pipeline;
  const t = bed.topics;
  const audited = [t.decisions, t.actions, t.queueEvents, t.control, t.deadLetter];
  // A decision whose result is still on its way is not lost: read again (bounded) until none is pending.
  let records = await readTopics(brokers, audited);
  for (let attempt = 0; attempt < 10 && pendingDecisions(records, t.decisions, t.actions) > 0; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    records = await readTopics(brokers, audited);
  }
  const on = (topic: string) => records.filter((r) => r.topic === topic);
  const decisionIds = new Set(on(t.decisions).map((r) => String(parse(r)['decisionId'])));
  const results = on(t.actions).map((r) => parse(r) as unknown as ActionResult);
  const finals = new Map<string, ActionResult[]>();
  for (const result of finalResults(results))
    finals.set(result.decisionId, [...(finals.get(result.decisionId) ?? []), result]);
  const lostIds = [...decisionIds].filter((id) => !finals.has(id));
  const twice = [...finals].filter(([, list]) => list.length > 1);
  const statuses = new Map<string, number>();
  for (const list of finals.values()) for (const r of list) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const redelivered = results.filter((r) => r.status === 'duplicate').length;

  // A change of the back end per applied decision that changed the value, no more: a second apply shows here.
  const changedResults = (targetId: string) =>
    [...finals.values()]
      .flat()
      .filter((r) => r.target.id === targetId && r.status === 'applied' && r.before !== r.after).length;
  // A PATCH of the value the workload already has changes nothing (values are absolute): count the changes.
  const patchChanges = (name: string, start: number) => {
    let value = start;
    let changes = 0;
    for (const request of api.requests) {
      if (request.method !== 'PATCH' || !request.path.includes(`/deployments/${name}/`)) continue;
      const replicas = (request.body as { spec?: { replicas?: number } } | undefined)?.spec?.replicas;
      if (typeof replicas !== 'number' || replicas === value) continue;
      value = replicas;
      changes += 1;
    }
    return changes;
  };
  const roomChanges = on(t.queueEvents)
    .map(parse)
    .filter(
      (e) =>
        e['type'] === 'configured' &&
        e['source'] === 'decision' &&
        Array.isArray(e['settings']) &&
        e['settings'].length > 0,
    );
  const roomChangeIds = roomChanges.map((e) => String(e['decisionId']));
  const backEnd = [
    { what: WEB.id, changes: patchChanges('web', WEB.start), applied: changedResults(WEB.id) },
    { what: API.id, changes: patchChanges('api', API.start), applied: changedResults(API.id) },
    { what: ROOM.id, changes: roomChangeIds.length, applied: changedResults(ROOM.id) },
  ];
  const roomApplied = new Set(
    [...finals.values()]
      .flat()
      .filter((r) => r.target.id === ROOM.id && r.status === 'applied' && r.before !== r.after)
      .map((r) => r.decisionId),
  );
  const roomMismatch = [
    ...roomChangeIds.filter((id) => !roomApplied.has(id)).map((id) => `changed without an applied result: ${id}`),
    ...[...roomApplied]
      .filter((id) => !roomChangeIds.includes(id))
      .map((id) => `applied without a change event: ${id}`),
  ];
  const extraChanges = backEnd.reduce((sum, b) => sum + Math.max(0, b.changes - b.applied), 0);
  const deadLetters = on(t.deadLetter).length;

  const checks: Record<string, boolean> = {
    'each decision exactly one final result': lostIds.length === 0 && twice.length === 0,
    'no second apply (back end changed once per applied decision)':
      backEnd.every((b) => b.changes === b.applied) && new Set(roomChangeIds).size === roomChangeIds.length,
    'nothing dead-lettered': deadLetters === 0,
  };
  const notes = [
    `${decisionIds.size} decisions (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}), ${redelivered} redeliveries reported duplicate`,
    `back-end changes/applied: ${backEnd.map((b) => `${b.what} ${b.changes}/${b.applied}`).join(', ')}`,
  ];
  const reasons = new Set(
    [...finals.values()]
      .flat()
      .filter((r) => r.status !== 'applied')
      .map((r) => `${r.target.id} ${r.status}: ${r.error}`),
  );
  if (reasons.size) notes.push(`not applied: ${[...reasons].slice(0, 4).join(' | ')}`);
  if (roomMismatch.length) notes.push(`room: ${roomMismatch.slice(0, 3).join(', ')}`);
  if (lostIds.length)
    notes.push(
      `no final result: ${lostIds
        .slice(0, 3)
        .map(
          (id) =>
            `${id} (${
              results
                .filter((r) => r.decisionId === id)
                .map((r) => r.status)
                .join('+') || 'none'
            })`,
        )
        .join(', ')}`,
    );
  if (twice.length)
    notes.push(
      `twice: ${twice
        .slice(0, 3)
        .map(([id, list]) => `${id} ${list.map((r) => r.status).join('+')}`)
        .join(', ')}`,
    );
  if (deadLetters) notes.push(`${deadLetters} records dead-lettered`);

  let auditLost = 0;
  let auditDuplicated = 0;
  if (options.audit) {
    const audit = await compareAudit(pipeline, records);
    auditLost = audit.missing;
    auditDuplicated = audit.extra;
    checks['audit table equals the topics'] = audit.missing === 0 && audit.extra === 0;
    notes.push(
      `audit: ${audit.rows} rows for ${records.length} records (${audit.missing} missing, ${audit.extra} extra)`,
    );
  }
  return {
    decisions: decisionIds.size,
    lost: lostIds.length + auditLost,
    duplicated: twice.reduce((sum, [, list]) => sum + list.length - 1, 0) + extraChanges + auditDuplicated,
    checks,
    notes,
  };
}

function pendingDecisions(records: TopicRecord[], decisionsTopic: string, actionsTopic: string): number {
  const settled = new Set(
    finalResults(records.filter((r) => r.topic === actionsTopic).map((r) => parse(r) as unknown as ActionResult)).map(
      (r) => r.decisionId,
    ),
  );
  return records.filter((r) => r.topic === decisionsTopic && !settled.has(String(parse(r)['decisionId']))).length;
}

/** The audit table read with plain SQL against the records on the audited topics, by (topic, partition, offset). */
async function compareAudit(
  pipeline: ChaosPipeline,
  records: TopicRecord[],
): Promise<{ rows: number; missing: number; extra: number }> {
  const pool = new Pool({ connectionString: pipeline.postgres.url, max: 1 });
  // The audit log writes asynchronously: wait (bounded) until it caught up with what is on the topics.
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query<{ topic: string; partition: number; kafka_offset: string }>(
        `SELECT topic, partition, kafka_offset FROM ${pipeline.auditSchema}.events`,
      );
      const keys = rows.map((r) => `${r.topic}:${r.partition}:${r.kafka_offset}`);
      const inTable = new Set(keys);
      const missing = records.filter((r) => !inTable.has(`${r.topic}:${r.partition}:${r.offset}`)).length;
      const extra = keys.length - inTable.size;
      if ((missing === 0 && extra === 0) || Date.now() > deadline) return { rows: rows.length, missing, extra };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await pool.end();
  }
}

/** Waits (bounded) until every service answers ready, and says from when on each did. */
export async function waitAllReady(
  pipeline: ChaosPipeline,
  services: readonly PipelineService[],
  timeoutMs: number,
): Promise<{ readyAt: number | null; notReady: PipelineService[] }> {
  const deadline = Date.now() + timeoutMs;
  let notReady: PipelineService[] = [...services];
  while (Date.now() < deadline) {
    const answers = await Promise.all(
      notReady.map(async (name) => {
        const ok = await fetch(`${pipeline.url(name)}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
          (res) => res.ok,
          () => false,
        );
        return ok ? null : name;
      }),
    );
    notReady = answers.filter((name): name is PipelineService => name !== null);
    if (notReady.length === 0) return { readyAt: Date.now(), notReady };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { readyAt: null, notReady };
}
