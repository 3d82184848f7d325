import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { RoomSetting } from '@surge/queue-core';
import { type BackgroundStart, HealthRegistry, startInBackground } from '@surge/service-kit';
import { RoomAdminService } from '../admin/room-admin.service';
import { RedisProvider } from '../redis/redis.provider';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { KnownRooms } from './known-rooms';
import { RoomsFileStore } from './rooms-file.store';

export interface RoomReload {
  room: string;
  created: boolean;
  changed: RoomSetting[];
  /** Settings left as an operator or a decision set them. */
  kept: RoomSetting[];
}

/**
 * Applies the rooms file: at start to every room missing from Redis (a Redis that came back empty gets its rooms
 * again), and on an explicit reload (the admin endpoint, or SIGHUP) to every room of the file. Rooms that are in
 * Redis but not in the file are left alone: dropping a live room because a line went missing would strand its
 * visitors.
 */
@Injectable()
export class RoomsFileService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoomsFileService.name);
  private starting: BackgroundStart | null = null;
  /** One reload at a time, so two SIGHUPs in a row do not interleave their reads and writes. */
  private reloading: Promise<RoomReload[]> = Promise.resolve([]);
  private readonly onHangup = () =>
    void this.reloadLogged('SIGHUP').catch((error: Error) => this.logger.error(`rooms file reload: ${error.message}`));

  constructor(
    private readonly file: RoomsFileStore,
    private readonly admin: RoomAdminService,
    private readonly redis: RedisProvider,
    private readonly known: KnownRooms,
    private readonly health: HealthRegistry,
    private readonly keys: SigningKeysService,
  ) {}

  onApplicationBootstrap(): void {
    // A listener replaces Node's default for SIGHUP, which is to end the process: a reload must not stop the queue.
    process.on('SIGHUP', this.onHangup);
    // Redis may be down at boot: the rooms are applied once it answers, with /health/ready saying so meanwhile.
    this.starting = startInBackground(
      'rooms-file',
      this.health,
      async () => void (await this.applyMissing()),
      this.logger,
    );
  }

  async onModuleDestroy(): Promise<void> {
    process.off('SIGHUP', this.onHangup);
    await this.starting?.stop();
    await this.reloading;
  }

  /** Creates the file's rooms that Redis does not have; existing rooms keep their state and settings. */
  async applyMissing(): Promise<RoomReload[]> {
    // Rooms that exist now are configured rooms: if Redis loses them later they answer 503, not 404.
    for (const room of await this.redis.queue.listRooms()) this.known.remember(room);
    const created = await this.createMissing();
    for (const { room } of created) this.logger.log(`room ${room} created from the rooms file`);
    return created;
  }

  /**
   * Re-creates the file's rooms that Redis no longer has, once the start has applied the file, putting this
   * instance's signing keys back first as a reload does. Returns the rooms re-created.
   */
  async restoreLost(): Promise<string[]> {
    if (!this.starting?.started() || !(await this.anyMissing())) return [];
    await this.keys.restore();
    return (await this.createMissing()).map(({ room }) => room);
  }

  private async anyMissing(): Promise<boolean> {
    for (const [room] of this.file.entries()) if (!(await this.redis.queue.getState(room))) return true;
    return false;
  }

  private async createMissing(): Promise<RoomReload[]> {
    const created: RoomReload[] = [];
    for (const [room, entry] of this.file.entries()) {
      if (await this.redis.queue.getState(room)) continue;
      const result = await this.admin.applyFile(room, entry);
      created.push({ room, created: true, changed: result.changed, kept: [] });
    }
    return created;
  }

  /** Reads the file again and applies every room of it. A bad file throws and nothing is applied. */
  reload(): Promise<RoomReload[]> {
    const run = this.reloading.catch(() => []).then(() => this.applyAll());
    this.reloading = run.catch(() => []);
    return run;
  }

  private async applyAll(): Promise<RoomReload[]> {
    this.file.reread();
    if (!(await this.keys.restore()))
      this.logger.warn("Redis holds signing keys other than this instance's: tokens it signed no longer verify");
    const results: RoomReload[] = [];
    for (const [room, entry] of this.file.entries()) {
      const result = await this.admin.applyFile(room, entry);
      results.push({ room, created: result.before === null, changed: result.changed, kept: result.kept });
    }
    return results;
  }

  private async reloadLogged(trigger: string): Promise<void> {
    try {
      const results = await this.reload();
      const summary = results.map((r) => `${r.room}${r.created ? ' (created)' : ''}: ${r.changed.join(', ') || '-'}`);
      this.logger.log(`rooms file reloaded on ${trigger}: ${summary.join('; ') || 'no rooms'}`);
    } catch (error) {
      this.logger.error(`rooms file reload on ${trigger} failed: ${(error as Error).message}`);
    }
  }
}
