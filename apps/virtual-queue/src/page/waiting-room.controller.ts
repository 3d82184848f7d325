import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import { ApiRoomName } from '../visitor/room-api';
import { RoomNamePipe } from '../visitor/room-name.pipe';
import { JOIN_CHALLENGE_WORKER_JS } from './join-challenge-solver.script';
import { waitingRoomHtml } from './waiting-room.html';
import { WAITING_ROOM_JS } from './waiting-room.script';

@Controller('rooms')
export class WaitingRoomController {
  @Get('assets/waiting-room.js')
  @ApiOperation({ summary: "The waiting page's script" })
  @ApiProduces('text/javascript')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  script(): string {
    return WAITING_ROOM_JS;
  }

  @Get('assets/join-challenge.worker.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  worker(): string {
    return JOIN_CHALLENGE_WORKER_JS;
  }

  @Get(':room')
  @ApiOperation({ summary: 'The waiting page a visitor is sent to' })
  @ApiProduces('text/html')
  @ApiRoomName()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'public, max-age=60')
  page(@Param('room', RoomNamePipe) room: string): string {
    return waitingRoomHtml(room);
  }
}
