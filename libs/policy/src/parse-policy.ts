import { parseAllDocuments } from 'yaml';
import { finishPolicy, normalizeSpec } from './normalize-policy';
import { PolicyErrorCode, type PolicyIssue, PolicyValidationError } from './policy-error';
import { policyDocument } from './policy.schema';
import type { ScalingPolicy } from './policy.types';

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

/**
 * Parses one policy file (one or more YAML documents) into normalized policies.
 * Throws a PolicyValidationError listing every problem with its file and field path.
 */
export function parsePolicyText(text: string, file: string): ScalingPolicy[] {
  const documents = parseAllDocuments(text);
  const issues: PolicyIssue[] = [];
  const policies: ScalingPolicy[] = [];
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, docIndex) => {
    const prefix = list.length > 1 ? `[${docIndex}].` : '';
    if (doc.errors.length) {
      for (const error of doc.errors)
        issues.push({ file, path: `${prefix}(yaml)`, message: error.message.split('\n')[0]! });
      return;
    }
    const raw = doc.toJS();
    if (raw === null || raw === undefined) return;
    const parsed = policyDocument.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({ file, path: prefix + joinPath(issue.path), message: issue.message });
      return;
    }
    const specIssues: { path: (string | number)[]; message: string }[] = [];
    const normalized = normalizeSpec(parsed.data.metadata.name, parsed.data.spec, specIssues);
    for (const issue of specIssues) issues.push({ file, path: prefix + joinPath(issue.path), message: issue.message });
    if (normalized) policies.push(finishPolicy(normalized, file));
  });
  if (issues.length) {
    const yamlOnly = issues.every((issue) => issue.path.endsWith('(yaml)'));
    throw new PolicyValidationError(yamlOnly ? PolicyErrorCode.InvalidYaml : PolicyErrorCode.InvalidPolicy, issues);
  }
  if (policies.length === 0) {
    throw new PolicyValidationError(PolicyErrorCode.InvalidPolicy, [
      { file, path: '(root)', message: 'no ScalingPolicy document found' },
    ]);
  }
  return policies;
}

export interface PolicyFile {
  file: string;
  text: string;
}

export interface PolicySetResult {
  policies: ScalingPolicy[];
  issues: PolicyIssue[];
}

/**
 * Parses a directory's worth of files. Bad files are reported and left out, so a caller can keep the
 * last good version of each; two policies for one target are an error on the second file.
 */
export function parsePolicySet(files: PolicyFile[]): PolicySetResult {
  const policies: ScalingPolicy[] = [];
  const issues: PolicyIssue[] = [];
  const byTarget = new Map<string, string>();
  for (const { file, text } of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    try {
      for (const policy of parsePolicyText(text, file)) {
        const owner = byTarget.get(policy.target.id);
        if (owner) {
          issues.push({
            file,
            path: 'spec.target.id',
            message: `target "${policy.target.id}" is already scaled by ${owner}`,
          });
          continue;
        }
        byTarget.set(policy.target.id, `${policy.name} (${file})`);
        policies.push(policy);
      }
    } catch (error) {
      if (error instanceof PolicyValidationError) issues.push(...error.issues);
      else throw error;
    }
  }
  return { policies, issues };
}
