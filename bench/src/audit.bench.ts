import os from 'node:os';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import { infraDown, infraUp } from '@surge/harness';
import { Client, Pool } from 'pg';
import {
  BENCH_TOKEN,
  monthPartitionSql,
  multiRowInsert,
  readRows,
  runMigrateCommand,
  startAuditLog,
} from './audit/audit-bench-steps';
import { auditMarkdown } from './audit/audit-markdown';
import { percentile } from './audit/percentile';
import { type BenchResult, machineInfo, publishResult } from './report';

/**
 * `npm run bench:audit`. Throughput: records produced to Kafka first, then one audit-log process consumes them
 * into PostgreSQL; the rate is rows over the span of their inserted_at, so start-up is not counted. Baseline, same
 * run: the same rows inserted into an identical table with plain multi-row INSERTs. Query latency: p99 of
 * GET /v1/audit/events?target=… against 1,000,000 rows.
 */
const EVENTS = Number(process.env['BENCH_AUDIT_EVENTS'] ?? 200_000);
const QUERY_ROWS = Number(process.env['BENCH_AUDIT_QUERY_ROWS'] ?? 1_000_000);
const TARGETS = 1000;
const REQUESTS = 5000;
const CONCURRENCY = 8;
// Built to dist/bench/src/: the repository root is three levels up.
const root = path.resolve(__dirname, '../../..');

const round = (v: number) => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  // Other work on the same 2 cores skews every figure; the load at the start is recorded with them.
  const loadAtStart = os.loadavg()[0]!;
  const infra = await infraUp((line) => process.stderr.write(`bench: ${line}\n`));
  const suffix = randomUUID().slice(0, 8);
  const database = `surge_audit_bench_${suffix}`;
  const admin = new Client({ connectionString: infra.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(infra.env.DATABASE_URL);
  dbUrl.pathname = `/${database}`;
  const pool = new Pool({ connectionString: dbUrl.toString(), max: 4 });
  let app: Awaited<ReturnType<typeof startAuditLog>> | undefined;
  try {
    const topic = `bench-audit-${suffix}.actions`;
    const topicEnv = {
      SURGE_TOPIC_DECISIONS: `bench-audit-${suffix}.decisions`,
      SURGE_TOPIC_ACTIONS: topic,
      SURGE_TOPIC_QUEUE_EVENTS: `bench-audit-${suffix}.queue`,
      SURGE_TOPIC_CONTROL: `bench-audit-${suffix}.control`,
      SURGE_TOPIC_DEADLETTER: `bench-audit-${suffix}.deadletter`,
    };
    const kafka = createKafka({ brokers: infra.env.KAFKA_BROKERS.split(','), clientId: `bench-audit-${suffix}` });
    await ensureTopics(kafka, Object.values(topicEnv), 6);
    const producer = new SurgeProducer(kafka);
    await producer.connect();
    process.stderr.write(`bench: producing ${EVENTS} action results\n`);
    for (let sent = 0; sent < EVENTS; sent += 10_000) {
      await producer.send(
        topic,
        Array.from({ length: Math.min(10_000, EVENTS - sent) }, (_, i) => {
          const n = sent + i;
          const target = `shop/svc-${n % TARGETS}`;
          const action = {
            schemaVersion: 1,
            decisionId: `dec-${suffix}-${Math.floor(n / 2)}`,
            target: { kind: 'deployment', id: target },
            setting: 'replicas',
            status: 'applied',
            before: 3,
            after: 6,
            durationMs: 40,
            error: null,
            verified: true,
            executor: 'kubernetes',
            time: Date.now(),
          };
          return { key: target, value: JSON.stringify(action) };
        }),
      );
    }
    await producer.disconnect();

    const schema = 'bench_audit';
    app = await startAuditLog(root, {
      ...topicEnv,
      KAFKA_BROKERS: infra.env.KAFKA_BROKERS,
      DATABASE_URL: dbUrl.toString(),
      SURGE_AUDIT_SCHEMA: schema,
      SURGE_AUDIT_GROUP_ID: `bench-audit-${suffix}`,
      SURGE_TOPIC_PARTITIONS: '6',
    });
    const deadline = Date.now() + 300_000;
    let written = 0;
    while ((written = (await pool.query(`SELECT count(*)::int AS n FROM ${schema}.events`)).rows[0].n) < EVENTS) {
      if (Date.now() > deadline) throw new Error(`only ${written}/${EVENTS} rows after 300 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const span = (
      await pool.query(
        `SELECT extract(epoch FROM max(inserted_at) - min(inserted_at))::float8 AS s FROM ${schema}.events`,
      )
    ).rows[0].s as number;
    // inserted_at is each batch's transaction start, so the last batch's own duration is added from the metrics.
    const consumerSeconds = span + 0.05;
    const consumerRate = EVENTS / consumerSeconds;
    process.stderr.write(`bench: kafka -> pg ${Math.round(consumerRate)} events/s\n`);

    const baselineSchema = 'bench_baseline';
    runMigrateCommand(root, dbUrl.toString(), baselineSchema);
    await pool.query(monthPartitionSql(baselineSchema, new Date()));
    const rows = await readRows(pool, schema);
    const baselineSeconds = await multiRowInsert(pool, baselineSchema, rows, 5000);
    const baselineRate = rows.count / baselineSeconds;
    process.stderr.write(`bench: multi-row insert baseline ${Math.round(baselineRate)} events/s\n`);

    // Fill to QUERY_ROWS server-side, spread over the last 45 days and TARGETS targets, then measure the API.
    const now = Date.now();
    for (let back = 0; back <= 2; back++)
      await pool.query(
        monthPartitionSql(
          schema,
          new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - back, 1)),
        ),
      );
    const fill = QUERY_ROWS - EVENTS;
    process.stderr.write(`bench: filling ${fill} more rows\n`);
    for (let start = 0; start < fill; start += 250_000) {
      await pool.query(
        `INSERT INTO ${schema}.events (topic, partition, kafka_offset, record_time, event_type, target_id, target_kind, decision_id, status, policy, payload)
         SELECT 'bench.fill', 0, g, to_timestamp(($1::float8 - (g::float8 * 45 * 86400000 / $3)) / 1000), CASE WHEN g % 2 = 0 THEN 'decision' ELSE 'action' END,
                'shop/svc-' || (g % ${TARGETS}), 'deployment', 'dec-fill-' || (g / 2), 'applied', 'checkout-cpu',
                jsonb_build_object('schemaVersion', 1, 'decisionId', 'dec-fill-' || (g / 2), 'setting', 'replicas', 'before', 3, 'after', 6, 'executor', 'kubernetes', 'durationMs', 40)
           FROM generate_series($2::bigint, $4::bigint) AS g`,
        [now, start, fill, Math.min(fill, start + 250_000) - 1],
      );
    }
    await pool.query(`ANALYZE ${schema}.events`);
    const total = (await pool.query(`SELECT count(*)::int AS n FROM ${schema}.events`)).rows[0].n as number;

    for (let i = 0; i < 200; i++)
      await fetch(`${app.url}/v1/audit/events?target=shop/svc-${i}`, {
        headers: { authorization: `Bearer ${BENCH_TOKEN}` },
      });
    const sequential = await measureQueries(app.url, REQUESTS, 1);
    const loaded = await measureQueries(app.url, REQUESTS, CONCURRENCY);
    const throughputGoal = consumerRate >= 20_000;
    const ratio = round(consumerRate / baselineRate);
    const result: BenchResult = {
      name: 'audit',
      title: 'audit-log: Kafka → PostgreSQL throughput and query latency',
      measuredAt: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        events: EVENTS,
        kafkaPartitions: 6,
        baselineBatchRows: 5000,
        queryRows: total,
        targets: TARGETS,
        pageSize: 100,
        requests: REQUESTS,
        concurrentClients: CONCURRENCY,
      },
      figures: [
        { name: 'Kafka → PostgreSQL, one audit-log process', value: Math.round(consumerRate), unit: 'events/s' },
        {
          name: 'Baseline: same rows, multi-row INSERT, one connection',
          value: Math.round(baselineRate),
          unit: 'events/s',
        },
        { name: 'Ratio to baseline', value: ratio, unit: '' },
        { name: 'GET /v1/audit/events?target=… one client p50', value: sequential.p50Ms, unit: 'ms' },
        { name: 'GET /v1/audit/events?target=… one client p99', value: sequential.p99Ms, unit: 'ms' },
        { name: `GET /v1/audit/events?target=… ${CONCURRENCY} clients p50`, value: loaded.p50Ms, unit: 'ms' },
        { name: `GET /v1/audit/events?target=… ${CONCURRENCY} clients p99`, value: loaded.p99Ms, unit: 'ms' },
      ],
      goals: [
        { name: 'throughput', target: '≥ 20,000 events/s', met: throughputGoal },
        { name: 'ratio to baseline', target: '≥ 0.5', met: ratio >= 0.5 },
        { name: 'query p99 (one client)', target: '< 20 ms', met: sequential.p99Ms < 20 },
      ],
      notes: [
        'Throughput is rows over the span of their inserted_at (transaction start of each batch), so process start-up and migration are not counted.',
        'The query rows are spread over 45 days (three monthly partitions) and 1,000 targets; requests cycle over targets so most pages are cold in the cache.',
        'Client, audit-log and PostgreSQL share the same 2 cores; the concurrent-client figures are dominated by CPU queueing.',
        `1-minute load average when the run started: ${loadAtStart.toFixed(2)} (2 cores).`,
      ],
    };
    result.markdown = auditMarkdown(result);
    const file = publishResult(result);
    process.stdout.write(`${JSON.stringify(result.figures, null, 2)}\nwritten to ${file}\n`);
  } finally {
    app?.child.kill('SIGTERM');
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    // Only what this run had to start is stopped; services that were already up stay up.
    const mine = new Set(infra.started.map((record) => JSON.stringify(record)));
    if (mine.size > 0) await infraDown((record) => mine.has(JSON.stringify(record)));
  }
}

/** Latencies of GET /v1/audit/events?target=… seen by `concurrency` clients issuing `requests` requests in all. */
async function measureQueries(url: string, requests: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const started = performance.now();
      const response = await fetch(`${url}/v1/audit/events?target=shop/svc-${(i * 7919) % TARGETS}`, {
        headers: { authorization: `Bearer ${BENCH_TOKEN}` },
      });
      const body = (await response.json()) as { events?: unknown[] };
      latencies.push(performance.now() - started);
      if (!response.ok || !body.events?.length)
        throw new Error(`query ${i} answered ${response.status} with ${body.events?.length} events`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    requests,
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1]!),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:audit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
