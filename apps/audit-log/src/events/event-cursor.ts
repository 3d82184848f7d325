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
  if (!match) return null;
  return { timeMs: Number(match[1]), id: match[2]! };
}
