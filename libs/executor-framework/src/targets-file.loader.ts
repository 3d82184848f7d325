import { readFileSync } from 'node:fs';
import { toFieldIssues } from '@surge/contracts';
import { TargetCatalog, type TargetEntry, targetsFileSchema } from '@surge/executor-core';
import { parse } from 'yaml';
import type { ResolvedTarget } from './executor.interface';

/** Reads a targets file, YAML or JSON (JSON is YAML), and validates it; errors name the file and each bad field. */
export function loadTargetsFile(path: string): TargetCatalog {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read targets file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = targetsFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map((i) => `${i.path}: ${i.message}`);
    throw new Error(`Invalid targets file ${path}: ${issues.join('; ')}`);
  }
  return new TargetCatalog(result.data);
}

/**
 * Resolves a target's connection at the moment of use, so a rotated secret file is picked up without a restart.
 * A missing variable or file is an error: acting on a default connection would act on the wrong system.
 */
export function resolveTarget(entry: TargetEntry, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  const connection = entry.connection;
  if (!connection) return { entry, connection: null };
  if ('env' in connection) {
    const value = env[connection.env];
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
