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
Poison records per consumer, ${report.kafka[0]!.messages} each, then one valid record:

${formatPoisonTable(report.kafka)}
`;
}

const SECTION = '## Fuzzing';
const BEGIN = '<!-- fuzz-report:begin (written by npm run fuzz) -->';
const END = '<!-- fuzz-report:end -->';

/** The figures of one run; the prose of the section around them (what is sent, what was found) is written by hand. */
function block(report: FuzzReport): string {
  return `${BEGIN}
Last full run: ${report.generatedAt}, ${report.perEndpoint.toLocaleString('en')} inputs per endpoint, seed ${report.seed}
(\`bench/results/fuzz.json\` holds the figures and any failing input). Goal: 0 5xx, 0 crashes, every poison record
parked with its reason and the valid one handled after it.

${formatTable(report)}
${kafkaPart(report)}${END}`;
}

/**
 * Replaces the figures between the markers of RELIABILITY.md's \`## Fuzzing\` section, leaving its prose and every
 * other section as they are; without markers the block goes at the end of the section (or a new one).
 */
export function writeReliabilitySection(root: string, report: FuzzReport): void {
  const file = path.join(root, 'RELIABILITY.md');
  const current = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Reliability\n\nHow Surge behaves under faults and hostile input, measured.\n';
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END, begin);
  let updated: string;
  if (begin >= 0 && end >= 0) {
    updated = `${current.slice(0, begin)}${block(report)}${current.slice(end + END.length)}`;
  } else {
    const start = current.indexOf(`\n${SECTION}\n`);
    if (start < 0) updated = `${current.trimEnd()}\n\n${SECTION}\n\n${block(report)}\n`;
    else {
      let next = current.indexOf('\n## ', start + SECTION.length + 2);
      if (next < 0) next = current.length;
      updated = `${current.slice(0, next).trimEnd()}\n\n${block(report)}\n${current.slice(next)}`;
    }
  }
  fs.writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`);
}

export function writeJson(root: string, report: FuzzReport): void {
  const file = path.join(root, 'bench/results/fuzz.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
