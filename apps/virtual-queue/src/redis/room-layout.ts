/**
 * Version of a room's layout in Redis: the keys and fields lua-common.lua.ts lists, and what each holds. Bump it
 * whenever that layout changes, and teach LAYOUT_GUARD to migrate the previous one, so instances of two
 * releases can share one Redis during a rolling upgrade. A room in a layout this release does not know is
 * refused, never misread: reading a newer release's tickets with the old offsets would admit the wrong buyers.
 */
export const ROOM_LAYOUT_VERSION = 1;

/** The prefix of the error a room script returns for a room in another layout, followed by that layout. */
export const LAYOUT_ERROR = 'SURGE_ROOM_LAYOUT';

/**
 * The first statement of every room script (KEYS[1] is the room's state hash). A room written before rooms
 * carried a version has version 1's layout, so reading it is migrating it: it is stamped 1. A missing room is
 * left alone for the script to answer `unknown_room`.
 */
export const LAYOUT_GUARD = `
local layout = redis.call('HGET', KEYS[1], 'layout')
if not layout and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'layout', '${ROOM_LAYOUT_VERSION}')
elseif layout and layout ~= '${ROOM_LAYOUT_VERSION}' then
  return redis.error_reply('${LAYOUT_ERROR} ' .. layout)
end
`;

/** A room stored in a layout this release cannot read: a newer release wrote it, or something not Surge. */
export class RoomLayoutMismatch extends Error {
  constructor(
    readonly room: string,
    readonly found: string,
  ) {
    super(`room ${room} is stored in layout ${found}; this release reads layout ${ROOM_LAYOUT_VERSION}`);
    this.name = 'RoomLayoutMismatch';
  }
}

/** The layout a script refused, from its error, or undefined when the error is another. */
export function refusedLayout(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.message.startsWith(LAYOUT_ERROR)) return undefined;
  return error.message.slice(LAYOUT_ERROR.length).trim();
}

/** Checks a layout field read directly (HMGET): absent is a room from before versions, which is version 1. */
export function checkLayout(room: string, layout: string | null): void {
  if (layout !== null && layout !== String(ROOM_LAYOUT_VERSION)) throw new RoomLayoutMismatch(room, layout);
}
