import fs from 'node:fs';
import { formatIssue, parsePolicySet } from '@surge/policy';
import { formatApprovalTable } from './approval-table';
import { formatDecisionTable, formatEventTables } from './decision-table';
import { readPolicyFiles } from './policy-files';
import { simulate } from './simulator';
import { readTrace } from './trace-reader';

export interface SimulateOptions {
  policies: string;
  samples: string;
  initial?: number;
  out?: string;
}

/**
 * `surgectl simulate`: backtests policies on a trace. With --out the decisions go to that JSONL file and the
 * table to stdout; without it the JSONL goes to stdout (so it pipes cleanly) and the table to stderr.
 */
export function simulateCommand(options: SimulateOptions): number {
  const { policies, issues } = parsePolicySet(readPolicyFiles(options.policies));
  if (issues.length) {
    for (const issue of issues) process.stderr.write(`error ${formatIssue(issue)}\n`);
    return 1;
  }
  const samples = readTrace(options.samples);
  const result = simulate(policies, samples, options.initial);
  const jsonl =
    result.decisions.map((decision) => JSON.stringify(decision)).join('\n') + (result.decisions.length ? '\n' : '');
  const table =
    formatDecisionTable(result.decisions) +
    formatEventTables(result.alerts, result.explanations) +
    formatApprovalTable(result.alerts);
  const footer =
    `${result.decisions.length} decision(s), ${result.alerts.length} alert(s), ${result.explanations.length} explanation(s) from ${samples.length} sample(s), ${result.evaluations} evaluation(s)` +
    (result.unknownTargets.length ? `; no policy for ${result.unknownTargets.join(', ')}` : '') +
    '\n';
  if (options.out && options.out !== '-') {
    fs.writeFileSync(options.out, jsonl);
    process.stdout.write(table + footer);
  } else {
    process.stdout.write(jsonl);
    process.stderr.write(table + footer);
  }
  return 0;
}
