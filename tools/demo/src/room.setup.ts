import type { DemoConfig } from './demo.config';

/**
 * Opens the waiting room the way an operator would before a sale. Only mode, starting capacity and target id are
 * set: the admission rate and later capacity stay Surge's (and the operator's) to change.
 */
export async function openRoom(config: DemoConfig, targetId: string): Promise<string> {
  if (!config.SURGE_ADMIN_TOKEN) return `room ${config.SURGE_QUEUE_ROOM}: left as configured (no SURGE_ADMIN_TOKEN)`;
  const response = await fetch(`${config.SURGE_QUEUE_URL}/v1/admin/rooms/${config.SURGE_QUEUE_ROOM}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.SURGE_ADMIN_TOKEN}` },
    body: JSON.stringify({ mode: 'queue', maxActive: config.SURGE_DEMO_ROOM_MAX_ACTIVE, targetId }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok)
    throw new Error(
      `cannot open room ${config.SURGE_QUEUE_ROOM}: ${response.status} ${(await response.text()).slice(0, 200)}`,
    );
  return `room ${config.SURGE_QUEUE_ROOM}: open, maxActive ${config.SURGE_DEMO_ROOM_MAX_ACTIVE}, reported as ${targetId}`;
}
