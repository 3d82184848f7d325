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

export function signingKeyKey(keyPrefix: string): string {
  return `${keyPrefix}vq:signing-key`;
}

/** Marks an admission (its token's jti) as spent; it expires with the token, when the mark is no longer needed. */
export function redeemedTokenKey(keyPrefix: string, jti: string): string {
  return `${keyPrefix}vq:redeemed:${jti}`;
}
