import type { z } from 'zod';

/** One bad field: its path in the input (`samples.3.value`) and what was wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

export function toFieldIssues(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

export class ContractViolation extends Error {
  constructor(
    readonly contract: string,
    readonly issues: FieldIssue[],
  ) {
    super(`${contract}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ContractViolation';
  }
}

/** Parses with a schema, throwing a ContractViolation that names every bad field. */
export function decode<S extends z.ZodType>(contract: string, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ContractViolation(contract, toFieldIssues(result.error));
  return result.data;
}
