import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertServiceUserReaches, blockedAncestor, dirForServiceUser } from './service-user-dir';

const asRoot = process.getuid?.() === 0;
const hasPostgresUser = fs.readFileSync('/etc/passwd', 'utf8').includes('\npostgres:');

describe('directories for processes that run as the postgres user', () => {
  const made: string[] = [];
  const privateDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-private-'));
    fs.chmodSync(dir, 0o700);
    made.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(asRoot && hasPostgresUser)('finds the mode-700 directory a clone sits in, as root', () => {
    const home = privateDir();
    expect(blockedAncestor('postgres', path.join(home, 's', '.surge', 'infra', 'postgres-1'))).toBe(home);
    expect(() => assertServiceUserReaches('postgres', path.join(home, 's'))).toThrow(
      `Fix: chmod o+x ${home}, or set TMPDIR`,
    );
    fs.chmodSync(home, 0o711);
    expect(blockedAncestor('postgres', path.join(home, 's'))).toBeUndefined();
  });

  it.runIf(asRoot && hasPostgresUser)('moves a data dir out of reach into the system temp dir', () => {
    const preferred = path.join(privateDir(), 's', '.surge', 'infra', 'postgres-1');
    fs.mkdirSync(preferred, { recursive: true });
    const dir = dirForServiceUser('postgres', preferred, 'surge-postgres-');
    made.push(dir);
    expect(path.dirname(dir)).toBe(os.tmpdir());
    expect(fs.existsSync(preferred)).toBe(false);
    expect(blockedAncestor('postgres', dir)).toBeUndefined();
  });

  it('keeps a directory the user can reach where it is', () => {
    const reachable = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-open-'));
    made.push(reachable);
    expect(dirForServiceUser('postgres', reachable, 'surge-postgres-')).toBe(reachable);
  });
});
