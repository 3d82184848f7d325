import { targetsFileSchema } from '@surge/executor-core';
import { parsePolicySet, type PolicyFile } from '@surge/policy';
import { parse } from 'yaml';

/**
 * What the rules engine and the executors would say about a deployment's policies and targets at boot: every
 * policy parses, and every policy's target is one the executors know, with the same kind. Empty means valid.
 */
export function checkSurgeConfig(policyFiles: PolicyFile[], targetsText: string): string[] {
  const { policies, issues } = parsePolicySet(policyFiles);
  const problems = issues.map((issue) => `${issue.file} ${issue.path}: ${issue.message}`);
  const targets = targetsFileSchema.safeParse(parse(targetsText));
  if (!targets.success)
    return [...problems, ...targets.error.issues.map((i) => `targets ${i.path.join('.')}: ${i.message}`)];
  const kinds = new Map(targets.data.targets.map((target) => [target.id, target.kind]));
  for (const policy of policies) {
    const kind = kinds.get(policy.target.id);
    if (!kind) problems.push(`${policy.name}: target ${policy.target.id} is not in the targets file`);
    else if (kind !== policy.target.kind)
      problems.push(`${policy.name}: target ${policy.target.id} is a ${kind}, not a ${policy.target.kind}`);
  }
  if (policies.length === 0) problems.push('no policy');
  return problems;
}
