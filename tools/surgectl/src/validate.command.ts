import { formatIssue, parsePolicySet } from '@surge/policy';
import { readPolicyFiles } from './policy-files';

/** `surgectl policies validate <dir>`: every problem with file, field path and message; non-zero exit if any. */
export function validateCommand(location: string): number {
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
  process.stdout.write(`${policies.length} valid, ${issues.length} problem(s) in ${files.length} file(s)\n`);
  return issues.length ? 1 : 0;
}
