import path from 'node:path';
import { type PrivateRedis, startPrivateRedis } from '@surge/harness';

/**
 * The waiting room's Redis: its own server with an append-only file fsynced every second, as docker-compose runs
 * it, kept under .surge/ so rooms, tickets and positions survive a crash of Redis or a restart of `npm start`
 * (everything but about the last second of joins and admissions; see apps/virtual-queue/README.md). The shared
 * Redis runs without persistence, which suits the caches and counters of the other services but not a line of
 * people. A run on free ports (side by side with another) keeps its file in its own run directory instead, so
 * two runs never share an append-only file.
 */
export function startRoomRedis(root: string, runDir?: string): Promise<PrivateRedis> {
  const dir = runDir ? path.join(runDir, 'room-redis') : path.join(root, '.surge', 'room-redis');
  return startPrivateRedis({ dir, appendonly: true });
}
