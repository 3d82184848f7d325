import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './wait-for';

/** The newest /usr/lib/postgresql/<version>/bin holding initdb (Debian keeps server binaries off PATH). */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((version) => fs.existsSync(path.join(base, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new HarnessError(
      'PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: apt-get install postgresql',
    );
  }
  return path.join(base, versions[0]!, 'bin');
}
