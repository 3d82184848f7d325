import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ROOM_NAME } from '@surge/queue-core';
import { ApiErrors } from '@surge/service-kit';

/** The `:room` of a room route, as RoomNamePipe checks it. */
export const ApiRoomName = () =>
  applyDecorators(
    ApiParam({ name: 'room', schema: { type: 'string', pattern: ROOM_NAME.source } }),
    ApiErrors({ 400: 'validation_failed: an invalid room name or body (`issues` names each field)' }),
  );

/** The room name and the answers any route that reads the room's state may give. */
export const ApiRoom = () =>
  applyDecorators(
    ApiRoomName(),
    ApiErrors({
      404: 'unknown_room, or unknown_ticket',
      503: 'room_unavailable, store_unavailable or room_layout_unknown: retry after Retry-After seconds',
    }),
  );
