import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';
import type { StartedService } from './service-record';

export interface InfraState {
  started: StartedService[];
  /** DATABASE_URL the recorded PgBouncer forwards to: a PgBouncer is reused only in front of the same database. */
  pgbouncerTarget?: string;
}

export function infraStatePath(): string {
  return path.join(repoRoot(), '.surge', 'infra-state.json');
}

export function readInfraState(): InfraState {
  try {
    return JSON.parse(fs.readFileSync(infraStatePath(), 'utf8')) as InfraState;
  } catch {
    return { started: [] };
  }
}

/** The file exists only while something started by the harness runs: `npm start` reads its presence that way. */
export function writeInfraState(state: InfraState): void {
  if (state.started.length === 0) {
    fs.rmSync(infraStatePath(), { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(infraStatePath()), { recursive: true });
  fs.writeFileSync(infraStatePath(), JSON.stringify(state, null, 2) + '\n');
}
