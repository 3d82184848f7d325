import { runningPolicyDetail, runningPolicyList } from '@surge/contracts';
import { formatIssue, parsePolicySet } from '@surge/policy';
import { type EngineOptions, engineGet } from './engine-client';
import { readPolicyFiles } from './policy-files';
import {
  comparePolicies,
  type FieldChange,
  fieldChanges,
  normalizedDocument,
  type PolicyComparison,
} from './policy-diff';

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));

export function formatComparison(comparison: PolicyComparison, changes: readonly FieldChange[] = []): string {
  switch (comparison.kind) {
    case 'unchanged':
      return `unchanged  ${comparison.name} (version ${comparison.version})\n`;
    case 'new':
      return `new        ${comparison.name} (${comparison.local.source}), not running\n`;
    case 'removed':
      return `removed    ${comparison.name}: running (${comparison.running.source ?? 'unknown file'}), in no local file\n`;
    case 'changed':
      return (
        `changed    ${comparison.name}: version ${comparison.running.version} running, ${comparison.local.version} in ${comparison.local.source}\n` +
        changes.map((c) => `             ${c.path}: ${show(c.running)} → ${show(c.local)}\n`).join('')
      );
  }
}

/**
 * `surgectl policies diff FILE|DIR --engine URL`: the local files against the engine's policies, as `diff`
 * exits: 0 when nothing differs, 1 when something does, 2 when the comparison could not be made.
 */
export async function policiesDiffCommand(location: string, options: EngineOptions): Promise<number> {
  const { policies, issues } = parsePolicySet(readPolicyFiles(location));
  if (issues.length) {
    for (const issue of issues) process.stderr.write(`error ${formatIssue(issue)}\n`);
    return 2;
  }
  const running = await engineGet(options, 'policies', runningPolicyList);
  if (!running) throw new Error(`${options.engine} has no /policies: a rules engine of an older release?`);
  const compared = comparePolicies(policies, running.policies);
  let differs = 0;
  for (const comparison of compared) {
    let changes: FieldChange[] = [];
    if (comparison.kind === 'changed') {
      const detail = await engineGet(options, `policies/${encodeURIComponent(comparison.name)}`, runningPolicyDetail);
      if (!detail) throw new Error(`policy ${comparison.name} left the engine during the diff; run it again`);
      changes = fieldChanges(detail.normalized, normalizedDocument(comparison.local));
    }
    if (comparison.kind !== 'unchanged') differs += 1;
    process.stdout.write(formatComparison(comparison, changes));
  }
  process.stdout.write(`${differs} of ${compared.length} policies differ\n`);
  return differs ? 1 : 0;
}
