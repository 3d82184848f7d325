/** One problem in one policy file: the file, the field path (`spec.rules.0.when.op`) and what is wrong. */
export interface PolicyIssue {
  file: string;
  path: string;
  message: string;
}

export enum PolicyErrorCode {
  InvalidYaml = 'INVALID_YAML',
  InvalidPolicy = 'INVALID_POLICY',
  DuplicateTarget = 'DUPLICATE_TARGET',
}

export class PolicyValidationError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    readonly issues: PolicyIssue[],
  ) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'PolicyValidationError';
  }
}

export function formatIssue(issue: PolicyIssue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}
