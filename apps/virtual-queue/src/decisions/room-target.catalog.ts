import { type Bounds, TargetCatalog, type TargetEntry } from '@surge/executor-core';
import { MAX_ROOM_CAPACITY, MODE_CODES, type RoomConfig, roomTargetId } from '@surge/queue-core';
import type { QueueRepository } from '../redis/queue.repository';

export const VIRTUAL_QUEUE_KIND = 'VirtualQueue';

export interface TargetRoom {
  room: string;
  config: RoomConfig;
}

/**
 * Rooms a target id names: those whose configured `targetId` (default `virtual-queue/<room>`) is the id, or the
 * room of that name. Several rooms share one id when a sale is sharded over Redis Cluster slots.
 */
export function roomsOfTarget(rooms: TargetRoom[], targetId: string): TargetRoom[] {
  return rooms.filter(({ room, config }) => roomTargetId(room, config) === targetId || room === targetId);
}

/**
 * The waiting room's targets are the rooms that exist, not entries of a targets file: rooms are created and
 * retargeted at run time through the admin API (by any instance), and a file would have to repeat every room and
 * drift from Redis. So the catalog is rebuilt from the rooms' configs before each batch of decisions, and its bounds
 * are what a room can take (a capacity per room, summed over a sharded sale's rooms; the three mode codes), with
 * out-of-bounds values refused as the room itself would refuse them.
 */
export class RoomTargetCatalog extends TargetCatalog {
  private rooms: TargetRoom[] = [];

  constructor(private readonly queue: QueueRepository) {
    super({ targets: [] });
  }

  override async refresh(): Promise<void> {
    this.rooms = await this.queue.roomConfigs();
  }

  override get(targetId: string): TargetEntry | undefined {
    const rooms = roomsOfTarget(this.rooms, targetId);
    return rooms.length === 0 ? undefined : entryFor(targetId, rooms.length);
  }

  /** One entry per target id (a room's name is an alias for a decision, not a target of its own to observe). */
  override all(): TargetEntry[] {
    const ids = [...new Set(this.rooms.map(({ room, config }) => roomTargetId(room, config)))];
    return ids.map((id) => this.get(id)!);
  }

  override unknownTargetReason(targetId: string): string {
    return `no room has target id "${targetId}"`;
  }
}

function entryFor(targetId: string, roomCount: number): TargetEntry {
  const capacity: Bounds = { min: 0, max: MAX_ROOM_CAPACITY * roomCount };
  return {
    id: targetId,
    kind: VIRTUAL_QUEUE_KIND,
    bounds: { maxActive: capacity, admitPerMinute: capacity, mode: { min: 0, max: MODE_CODES.length - 1 } },
    allowed: true,
    onOutOfBounds: 'reject',
    fromTolerance: 0,
    guardrails: {},
    allowHpaConflict: false,
    options: {},
  };
}
