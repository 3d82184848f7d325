import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { asServiceUser, commandLine, isAlive, stopPid } from './managed-process';
import { postgresBinDir } from './postgres-binaries';
import type { StartedService } from './service-record';

/** Stops one service the harness recorded as started by it; a pid now owned by another program is left alone. */
export async function stopStarted(record: StartedService): Promise<void> {
  switch (record.kind) {
    case 'process':
      await stopPid(record.pid, record.marker, 20_000);
      break;
    case 'pg_ctl':
      if (fs.existsSync(path.join(record.dataDir, 'postmaster.pid'))) {
        const [command, args] = asServiceUser('postgres', path.join(postgresBinDir(), 'pg_ctl'), [
          'stop',
          '-D',
          record.dataDir,
          '-m',
          'fast',
          '-w',
        ]);
        spawnSync(command, args, { stdio: 'ignore' });
      }
      break;
    case 'container':
      spawnSync('docker', ['rm', '-f', record.containerId], { stdio: 'ignore' });
      break;
  }
  // Each start gets a fresh dir (a concurrent start must never wipe a live server's files): remove it with the server.
  if ('dir' in record && record.dir) fs.rmSync(record.dir, { recursive: true, force: true });
}

/** Whether a recorded service still runs (containers are assumed to, Docker removes them otherwise). */
export function isStartedAlive(record: StartedService): boolean {
  switch (record.kind) {
    case 'process':
      return isAlive(record.pid) && commandLine(record.pid).includes(record.marker);
    case 'pg_ctl':
      return fs.existsSync(path.join(record.dataDir, 'postmaster.pid'));
    case 'container':
      return true;
  }
}
