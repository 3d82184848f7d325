import fs from 'node:fs';
import path from 'node:path';
import type { EndpointTally } from './http-fuzzer';
import type { PoisonTally } from './kafka/poison-fuzzer';

export interface FuzzReport {
  generatedAt: string;
  seed: number;
  perEndpoint: number;
  http: EndpointTally[];
  /** Poison records per consumer topic (absent in a report of the HTTP half alone). */
  kafka?: PoisonTally[];
}

export function formatTable(report: FuzzReport): string {
  const rows = report.http.map(
    (t) =>
      `| ${t.endpoint} | ${t.inputs} | ${t.accepted} | ${t.status4xx} | ${t.status5xx} | ${t.crashes} | ${t.slowestMs} |`,
  );
  return [
    '| Endpoint | Inputs | 2xx/3xx | 4xx | 5xx | Crashes | Slowest answer, ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

export function formatPoisonTable(tallies: PoisonTally[]): string {
  const rows = tallies.map(
    (t) => `| ${t.consumer} | ${t.messages} | ${t.deadLettered} | ${t.handled} | ${t.crashes} |`,
  );
  return [
    '| Consumer | Poison messages | Dead-lettered | Valid handled after | Crashes |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

function kafkaPart(report: FuzzReport): string {
  if (!report.kafka?.length) return '';
  return `
The Kafka half sends poison records with a plain kafkajs producer to every consumer's topic, the consumer running
in-process: invalid JSON, bad UTF-8, NUL bytes, wrong schema (wrong types field by field, other JSON values, an
unknown schema version), missing keys, huge (900 kB) and deep (100,000 levels) values, \`NaN\`/\`Infinity\`/\`1e999\`,
\`__proto__\`, an empty value and a tombstone, then one valid record. Each poison record must be on the dead-letter
topic with its reason, the valid one handled (the group's committed offset past it, not dead-lettered), and the
service still answering its liveness probe. CI runs the same pass, about 50 per consumer
(\`tools/fuzz/src/poison.int-spec.ts\`). Goal: every poison record dead-lettered, 0 crashes.

${formatPoisonTable(report.kafka)}
`;
}

const SECTION = '## Fuzzing';

function section(report: FuzzReport): string {
  return `${SECTION}

\`npm run fuzz\` (tools/fuzz) starts every HTTP service in-process against the real Kafka, Redis and PostgreSQL,
with its credentials, and sends ${report.perEndpoint.toLocaleString('en')} generated bad inputs per endpoint
(fast-check, seed ${report.seed}): wrong types, huge and deeply nested values, \`1e999\`/\`NaN\`/\`Infinity\` as JSON
text, bad UTF-8, truncated JSON, random bytes, wrong content types, hostile path segments and query strings, wrong
and huge credentials, and for remote write hostile protobuf, invalid protobuf, truncated snappy and snappy bombs. A
crash is a server that stops answering its liveness probe. A transport error on a server that still answers counts as
4xx (the server refused the body early). CI runs a short pass of the same generators (\`tools/fuzz/src/fuzz.int-spec.ts\`,
about 500 per endpoint) and fails on any 5xx or crash. Goal: 0 5xx, 0 crashes.

Last run: ${report.generatedAt} (\`bench/results/fuzz.json\` holds the figures and any failing input).

${formatTable(report)}
${kafkaPart(report)}`;
}

/** Replaces (or appends) the `## Fuzzing` section of RELIABILITY.md, leaving every other section as it is. */
export function writeReliabilitySection(root: string, report: FuzzReport): void {
  const file = path.join(root, 'RELIABILITY.md');
  const current = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Reliability\n\nHow Surge behaves under faults and hostile input, measured.\n';
  const start = current.indexOf(`\n${SECTION}\n`);
  let next = start < 0 ? -1 : current.indexOf('\n## ', start + SECTION.length + 2);
  if (next < 0) next = current.length;
  const updated =
    start < 0
      ? `${current.trimEnd()}\n\n${section(report)}`
      : `${current.slice(0, start + 1)}${section(report)}${current.slice(next + 1)}`;
  fs.writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`);
}

export function writeJson(root: string, report: FuzzReport): void {
  const file = path.join(root, 'bench/results/fuzz.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
