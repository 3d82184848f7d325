/** A keyset position in newest-first order: the last row's record time and id. Opaque to clients. */
export interface EventCursor {
  timeMs: number;
  id: string;
}

export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(`${cursor.timeMs}:${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): EventCursor | null {
  const match = /^(\d{1,15}):(\d{1,19})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  // Within PostgreSQL's bigint, so a forged cursor is refused here rather than by the query.
  if (!match || BigInt(match[2]!) > 9_223_372_036_854_775_807n) return null;
  return { timeMs: Number(match[1]), id: match[2]! };
}
