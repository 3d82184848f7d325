/** Every key of a room shares the `{room}` hash tag, so one room's scripts run on one Redis Cluster slot. */
export function roomPrefix(keyPrefix: string, room: string): string {
  return `${keyPrefix}vq:{${room}}:`;
}

export function roomStateKey(keyPrefix: string, room: string): string {
  return `${roomPrefix(keyPrefix, room)}s`;
}

export function roomsIndexKey(keyPrefix: string): string {
  return `${keyPrefix}vq:rooms`;
}

export function joinLimitKey(keyPrefix: string, ip: string, windowSeconds: number, nowMs: number): string {
  return `${keyPrefix}vq:ip:{${ip}}:${Math.floor(nowMs / 1000 / windowSeconds)}`;
}

export function signingKeyKey(keyPrefix: string): string {
  return `${keyPrefix}vq:signing-key`;
}
