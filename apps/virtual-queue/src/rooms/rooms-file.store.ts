import { Inject, Injectable } from '@nestjs/common';
import type { RoomConfigPatch, RoomsFile } from '@surge/queue-core';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { KnownRooms } from './known-rooms';
import { loadRoomsFile } from './rooms-file.loader';

/**
 * The rooms file as last read. It is read when the app is built, so a bad file stops the service at boot with the
 * bad field named; a reload that finds a bad file keeps the previous one and says why.
 */
@Injectable()
export class RoomsFileStore {
  private file: RoomsFile;

  constructor(
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
    private readonly known: KnownRooms,
  ) {
    this.file = this.read();
  }

  get path(): string | null {
    return this.config.VQ_ROOMS_FILE ?? null;
  }

  /** Reads the file again; throws, keeping what it had, when the file is now unreadable or invalid. */
  reread(): RoomsFile {
    this.file = this.read();
    return this.file;
  }

  entries(): [string, RoomConfigPatch][] {
    return Object.entries(this.file.rooms);
  }

  entry(room: string): RoomConfigPatch | undefined {
    return this.file.rooms[room];
  }

  private read(): RoomsFile {
    const file = this.path ? loadRoomsFile(this.path) : { rooms: {} };
    for (const room of Object.keys(file.rooms)) this.known.remember(room);
    return file;
  }
}
