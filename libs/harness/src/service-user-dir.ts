import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from './wait-for';

interface Account {
  uid: number;
  gid: number;
}

function accountOf(user: string): Account | undefined {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function mayEnter(account: Account, stat: fs.Stats): boolean {
  if (stat.uid === account.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === account.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * The first directory above `dir` that `user` may not enter, or undefined. Only root starts processes as another
 * user (PostgreSQL and PgBouncer refuse root), so for anyone else nothing is in the way. A clone in root's home
 * (mode 700) or under `mktemp -d` is such a case: the postgres user cannot reach files under it.
 */
export function blockedAncestor(user: string, dir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const account = accountOf(user);
  // No such user: the command run as it fails with its own, clearer message.
  if (!account) return undefined;
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    // A directory still to be made takes its parent's reach; mkdir gives it 755.
    if (fs.existsSync(current) && !mayEnter(account, fs.statSync(current))) return current;
    if (current === path.dirname(current)) return undefined;
  }
}

/** Refuses, saying exactly what to change, a directory whose files `user` could not open. */
export function assertServiceUserReaches(user: string, dir: string): void {
  const blocked = blockedAncestor(user, dir);
  if (!blocked) return;
  throw new HarnessError(
    `${dir} is out of reach of the ${user} user, which runs the server: it may not enter ${blocked}. ` +
      `Fix: chmod o+x ${blocked}, or set TMPDIR to a directory every user can enter (e.g. /tmp)`,
  );
}

/**
 * `preferred` when `user` can reach it, else a fresh directory in the system's temp dir (removing the empty
 * `preferred`), so a clone in a mode-700 directory still runs its own PostgreSQL.
 */
export function dirForServiceUser(user: string, preferred: string, prefix: string): string {
  if (!blockedAncestor(user, preferred)) return preferred;
  fs.rmSync(preferred, { recursive: true, force: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  assertServiceUserReaches(user, dir);
  return dir;
}
