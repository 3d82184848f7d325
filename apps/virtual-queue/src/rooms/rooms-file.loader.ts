import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@surge/config';
import { toFieldIssues } from '@surge/contracts';
import { roomsFileSchema, type RoomsFile } from '@surge/queue-core';
import { parse } from 'yaml';

/**
 * The rooms file cannot be read or is invalid: the operator's to fix, never a reason to retry. At boot it stops
 * the service as invalid configuration; on a reload it is refused and the rooms in force stay.
 */
export class RoomsFileError extends ConfigurationError {
  override readonly name = 'RoomsFileError';
}

/** Reads the rooms file, YAML or JSON, and validates it; errors name the file and each bad field. */
export function loadRoomsFile(path: string): RoomsFile {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RoomsFileError(
      `Cannot read rooms file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = roomsFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map((i) => `${i.path}: ${i.message}`);
    throw new RoomsFileError(`Invalid rooms file ${path}: ${issues.join('; ')}`);
  }
  return result.data;
}
