import path from 'node:path';
import { type PrivateRedis, startPrivateRedis } from '@surge/harness';

/**
 * The waiting room's Redis: its own server with an append-only file fsynced every second, as docker-compose runs
 * it, kept under .surge/ so rooms, tickets and positions survive a crash of Redis or a restart of `npm start`
 * (everything but about the last second of joins and admissions; see apps/virtual-queue/README.md). The shared
 * Redis runs without persistence, which suits the caches and counters of the other services but not a line of
 * people. One directory per port offset, so two runs side by side never share an append-only file.
 */
export function startRoomRedis(root: string, portOffset: number): Promise<PrivateRedis> {
  const dir = path.join(root, '.surge', portOffset ? `room-redis-${portOffset}` : 'room-redis');
  return startPrivateRedis({ dir, appendonly: true });
}
