import { formatIssue, parsePolicySet } from '@surge/policy';
import { readPolicyFiles } from './policy-files';
import { checkPolicyTargets, readTargetsFile } from './targets-check';

/**
 * `surgectl policies validate <dir> [--targets FILE]`: every problem with file, field path and message, and with
 * a targets file, every policy the executors would refuse; non-zero exit if any.
 */
export function validateCommand(location: string, targetsFile?: string): number {
  const files = readPolicyFiles(location);
  if (files.length === 0) {
    process.stderr.write(`${location}: no .yaml or .yml policy files\n`);
    return 1;
  }
  const { policies, issues } = parsePolicySet(files);
  for (const policy of policies) {
    process.stdout.write(
      `ok    ${policy.source}: ${policy.name} scales ${policy.target.id} ${policy.setting} [${policy.min}, ${policy.max}] (version ${policy.version})\n`,
    );
  }
  for (const issue of issues) process.stderr.write(`error ${formatIssue(issue)}\n`);
  const targets = targetsFile ? checkPolicyTargets(policies, readTargetsFile(targetsFile)) : undefined;
  for (const note of targets?.notes ?? []) process.stdout.write(`note  ${note}\n`);
  for (const problem of targets?.problems ?? []) process.stderr.write(`error ${problem}\n`);
  const problems = issues.length + (targets?.problems.length ?? 0);
  process.stdout.write(`${policies.length} valid, ${problems} problem(s) in ${files.length} file(s)\n`);
  return problems ? 1 : 0;
}
