import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type ExperimentResult, passed } from './experiment-result';

const HEADING = '## Chaos';

function row(result: ExperimentResult): string {
  const recover = result.timeToRecoverMs === null ? 'not recovered' : `${(result.timeToRecoverMs / 1000).toFixed(1)} s`;
  const failed = Object.entries(result.checks)
    .filter(([, ok]) => !ok)
    .map(([check]) => `**failed: ${check}**`);
  const notes = [...failed, result.notes].join('; ');
  return `| ${result.experiment} | ${result.accepted} | ${result.lost} | ${result.duplicated} | ${result.recoveredBySelf ? 'yes' : '**no**'} | ${recover} | ${passed(result) ? 'pass' : '**FAIL**'} | ${notes} |`;
}

export function chaosSection(results: ExperimentResult[], when: Date, command: string): string {
  return [
    HEADING,
    '',
    `Written by \`${command}\` on ${when.toISOString()} (tools/chaos). Counted by readers independent of the`,
    'services: the load generator keeps every sample value answered 202, a fresh consumer group reads the topic back.',
    '"Time to recover" runs from the end of the fault (the dependency back; the kill itself for a replicated',
    'cluster) until the service answered ready and accepted again.',
    '',
    '| experiment | accepted | lost | duplicated | recovered by itself | time to recover | verdict | notes |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
  ].join('\n');
}

/** Replaces the `## Chaos` section of RELIABILITY.md (or appends it), leaving the rest of the file as it is. */
export function writeReliability(file: string, section: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Reliability\n\n';
  const start = current.indexOf(`${HEADING}\n`);
  if (start < 0) {
    writeFileSync(file, `${current.trimEnd()}\n\n${section}`);
    return;
  }
  const after = current.slice(start + HEADING.length);
  const next = after.search(/\n## /);
  const rest = next < 0 ? '' : after.slice(next + 1);
  writeFileSync(file, `${current.slice(0, start)}${section}${rest ? `\n${rest}` : ''}`);
}

export function writeJson(file: string, results: ExperimentResult[], when: Date): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ranAt: when.toISOString(), results }, null, 2)}\n`);
}
