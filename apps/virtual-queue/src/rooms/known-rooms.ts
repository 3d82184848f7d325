import { Injectable } from '@nestjs/common';

/**
 * The rooms this instance knows were configured: those of the rooms file and those it has seen in Redis. A room
 * known here but absent from Redis lost its state (a flush, or a restart without persistence) and answers 503
 * until it is re-created; a name never configured stays an unknown room (404). The memory is per process, so
 * after a restart only the rooms file vouches for a room: that is what the file is for.
 */
@Injectable()
export class KnownRooms {
  private readonly rooms = new Set<string>();

  remember(room: string): void {
    this.rooms.add(room);
  }

  knows(room: string): boolean {
    return this.rooms.has(room);
  }
}
