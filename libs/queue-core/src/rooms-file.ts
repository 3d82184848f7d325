import { z } from 'zod';
import { ROOM_NAME, roomConfigPatchSchema } from './room-config';

/**
 * The declarative rooms file (VQ_ROOMS_FILE): each room's base settings. A setting a room leaves out takes the
 * room default, so the file alone says what a room is after a Redis loss.
 */
export const roomsFileSchema = z
  .object({
    rooms: z.record(z.string().regex(ROOM_NAME, 'room names are 1-63 of [a-z0-9._-]'), roomConfigPatchSchema),
  })
  .strict();
export type RoomsFile = z.output<typeof roomsFileSchema>;
