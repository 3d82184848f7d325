import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@surge/config';
import { toFieldIssues } from '@surge/contracts';
import { TargetCatalog, type TargetEntry, targetsFileSchema } from '@surge/executor-core';
import { parse } from 'yaml';
import type { ResolvedTarget } from './executor.interface';

/** The targets file cannot be read, is invalid, or names variables that are not set: the operator's to fix. */
export class TargetsFileError extends ConfigurationError {
  override readonly name = 'TargetsFileError';
}

/** Reads a targets file, YAML or JSON (JSON is YAML), and validates it; errors name the file and each bad field. */
export function loadTargetsFile(path: string): TargetCatalog {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TargetsFileError(
      `Cannot read targets file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = targetsFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map((i) => `${i.path}: ${i.message}`);
    throw new TargetsFileError(`Invalid targets file ${path}: ${issues.join('; ')}`);
  }
  return new TargetCatalog(result.data);
}

/**
 * The values of the environment variables a targets file names for its targets' connections, by variable name,
 * captured once at boot by the executors' config loader.
 */
export type ConnectionVariables = Readonly<Record<string, string>>;

/**
 * Captures the connection variables the catalog names. A missing one stops the executor at boot, naming it and its
 * targets, rather than failing each decision for that target later.
 */
export function connectionVariablesOf(
  catalog: TargetCatalog,
  env: Readonly<Record<string, string | undefined>>,
): ConnectionVariables {
  const captured: Record<string, string> = {};
  const missing = new Map<string, string[]>();
  for (const entry of catalog.all()) {
    const connection = entry.connection;
    if (!connection || !('env' in connection)) continue;
    const value = env[connection.env];
    if (value) captured[connection.env] = value;
    else missing.set(connection.env, [...(missing.get(connection.env) ?? []), entry.id]);
  }
  if (missing.size > 0) {
    const named = [...missing].map(([name, ids]) => `${name} (for ${ids.join(', ')})`);
    throw new TargetsFileError(`The targets file names environment variables that are not set: ${named.join('; ')}`);
  }
  return captured;
}

/**
 * Resolves a target's connection at the moment of use: a variable from those captured at boot, a secret file read
 * now, so a rotated secret is picked up without a restart. A missing variable or file is an error: acting on a
 * default connection would act on the wrong system.
 */
export function resolveTarget(entry: TargetEntry, variables: ConnectionVariables): ResolvedTarget {
  const connection = entry.connection;
  if (!connection) return { entry, connection: null };
  if ('env' in connection) {
    const value = variables[connection.env];
    if (!value) throw new Error(`target ${entry.id}: environment variable ${connection.env} is not set`);
    return { entry, connection: value };
  }
  try {
    return { entry, connection: readFileSync(connection.secretFile, 'utf8').trim() };
  } catch (error) {
    throw new Error(
      `target ${entry.id}: cannot read secret file ${connection.secretFile}: ${(error as Error).message}`,
    );
  }
}
