import { Controller, Get, Header, Param } from '@nestjs/common';
import { RoomNamePipe } from '../visitor/room-name.pipe';
import { waitingRoomHtml } from './waiting-room.html';
import { WAITING_ROOM_JS } from './waiting-room.script';

@Controller('rooms')
export class WaitingRoomController {
  @Get('assets/waiting-room.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  script(): string {
    return WAITING_ROOM_JS;
  }

  @Get(':room')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'public, max-age=60')
  page(@Param('room', RoomNamePipe) room: string): string {
    return waitingRoomHtml(room);
  }
}
