import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@surge/config';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROLES } from './operator';
import { type OperatorEntry, OperatorRegistry, sha256 } from './operator-registry';

// SHA-256 of the empty string: what a script writes when the token variable it hashed was unset.
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const operatorEntry = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.@-]{0,62}$/, 'must be a short lowercase name (a-z, 0-9, _ . @ -)')
    // `surge` is the actor of what Surge does on its own (a pause that expires): no person may appear as it.
    .refine((name) => name !== 'surge', 'is reserved for Surge itself'),
  role: z.enum(ROLES),
  tokenHash: z
    .string()
    .transform((value) => value.toLowerCase())
    .refine((value) => /^sha256:[0-9a-f]{64}$/.test(value), 'must be sha256:<64 hex digits of the token’s SHA-256>')
    .refine(
      (value) => value.slice(7) !== EMPTY_SHA256 && !/^(.)\1+$/.test(value.slice(7)),
      'is the hash of an empty or placeholder token',
    ),
});

export const operatorsFileSchema = z.object({
  operators: z.array(operatorEntry).min(1, 'must name at least one operator'),
});

/** The operator the single SURGE_ADMIN_TOKEN stands for when there is no operators file. */
export const ENV_OPERATOR_NAME = 'admin';

export class OperatorsFileError extends ConfigurationError {
  constructor(file: string, problems: string[]) {
    super(`SURGE_OPERATORS_FILE ${file}: ${problems.join('; ')}`);
    this.name = 'OperatorsFileError';
  }
}

/**
 * The operators file (YAML): each operator's name, role and the SHA-256 of their token, never the token itself.
 * A fast hash is enough because tokens are long random strings, not passwords, and it keeps checking a bearer
 * token against every operator cheap (a slow hash would make every bad request cost that much CPU per operator):
 *
 *     operators:
 *       - name: alice
 *         role: operator              # viewer | operator | admin
 *         tokenHash: sha256:9f86d08…  # printf %s "$TOKEN" | sha256sum
 */
export function readOperatorsFile(file: string): OperatorEntry[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OperatorsFileError(file, [(error as Error).message]);
  }
  const result = operatorsFileSchema.safeParse(raw);
  if (!result.success) {
    throw new OperatorsFileError(
      file,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`),
    );
  }
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const { name, tokenHash } of result.data.operators) {
    if (names.has(name)) throw new OperatorsFileError(file, [`operator "${name}" twice`]);
    if (hashes.has(tokenHash)) throw new OperatorsFileError(file, [`two operators share one token ("${name}")`]);
    names.add(name);
    hashes.add(tokenHash);
  }
  return result.data.operators.map(({ name, role, tokenHash }) => ({
    name,
    role,
    tokenSha256: Buffer.from(tokenHash.slice(7), 'hex'),
  }));
}

/**
 * Named operators from the file when there is one: the shared token then no longer opens anything, so every action
 * is someone's. Without a file, SURGE_ADMIN_TOKEN is the one operator `admin`.
 */
export function loadOperators(options: { operatorsFile?: string; adminToken?: string }): OperatorRegistry {
  if (options.operatorsFile) return new OperatorRegistry(readOperatorsFile(options.operatorsFile));
  if (!options.adminToken) return new OperatorRegistry([]);
  return new OperatorRegistry([{ name: ENV_OPERATOR_NAME, role: 'admin', tokenSha256: sha256(options.adminToken) }]);
}
