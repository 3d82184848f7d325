import { createHmac } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { signingKeyKey } from '../redis/room-keys';
import { RedisProvider } from '../redis/redis.provider';
import { loadKeyEncryptionKey, unseal } from './key-sealing';
import { newKeys, readStoredKeys, rotated, sealedLegacy, ticketSecretAad, type StoredKeys } from './keyring';

export { STORED_KEYS_SCHEMA_VERSION, readStoredKeys } from './keyring';

// Replaces the value only if nobody else changed it since it was read: of several instances rotating at once, one wins.
const COMPARE_AND_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;

type PublicJwk = JWK & { kid: string };

/**
 * Ed25519 signing keys and one ticket MAC secret shared by every instance through Redis, sealed there with a key
 * only the instances hold (VQ_KEY_ENCRYPTION_KEY_FILE). The first instance to start stores them (SET NX); any
 * instance that finds the current key older than the rotation interval adds a new one (compare-and-set); every
 * instance re-reads them regularly, so all sign with the same current key and verify with current and previous.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, OnModuleDestroy {
  privateKey!: CryptoKey;
  publicJwk!: PublicJwk;
  private previousJwk: PublicJwk | null = null;
  private ticketSecret!: string;
  private raw!: string;
  private kek!: Buffer;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisProvider,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.kek = loadKeyEncryptionKey(this.config.VQ_KEY_ENCRYPTION_KEY_FILE);
    await this.refresh();
    const every = Math.min(30_000, Math.max(1000, (this.config.VQ_SIGNING_KEY_ROTATION_SECONDS * 1000) / 10));
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The public keys tokens may be signed with: the current one and, for one more interval, the previous. */
  publicJwks(): PublicJwk[] {
    return this.previousJwk ? [this.publicJwk, this.previousJwk] : [this.publicJwk];
  }

  /** Loads the keys from Redis, storing, upgrading or rotating them first when due. */
  async refresh(nowMs = Date.now()): Promise<void> {
    const key = signingKeyKey(this.config.VQ_KEY_PREFIX);
    let raw = await this.redis.client.get(key);
    if (raw === null) {
      await this.redis.client.set(key, JSON.stringify(await newKeys(this.kek, nowMs)), 'NX');
      raw = (await this.redis.client.get(key))!;
    }
    const read = readStoredKeys(raw);
    if (read.kind === 'legacy') return this.replace(raw, await sealedLegacy(read.keys, this.kek, nowMs));
    const rotationMs = this.config.VQ_SIGNING_KEY_ROTATION_SECONDS * 1000;
    if (nowMs - read.keys.keys[0]!.createdAtMs >= rotationMs)
      return this.replace(raw, await rotated(read.keys, this.kek, nowMs));
    await this.load(raw, read.keys);
  }

  /** Rotates now, whatever the current key's age (an operator's or a test's rotation). */
  async rotate(nowMs = Date.now()): Promise<void> {
    const raw = (await this.redis.client.get(signingKeyKey(this.config.VQ_KEY_PREFIX)))!;
    const read = readStoredKeys(raw);
    if (read.kind === 'legacy') return this.refresh(nowMs);
    await this.replace(raw, await rotated(read.keys, this.kek, nowMs));
  }

  /**
   * Puts this instance's keys back when Redis lost them (a flush, a restart without persistence), so an instance
   * that starts afterwards loads the same keys instead of making new ones: tokens already handed out keep verifying
   * and ticket ids stay genuine everywhere. Returns false when Redis holds other keys (another instance got there
   * first with keys it made after the loss).
   */
  async restore(): Promise<boolean> {
    const key = signingKeyKey(this.config.VQ_KEY_PREFIX);
    await this.redis.client.set(key, this.raw, 'NX');
    return (await this.redis.client.get(key)) === this.raw;
  }

  /** A ticket id's MAC binds room and visitor, so nobody can look up, or delete, another visitor's ticket. */
  ticketMac(room: string, visitorId: string): string {
    return this.mac(`${room}\0${visitorId}`);
  }

  /** A MAC with the ticket secret over a purpose-prefixed message (visitor cookies, token ids). */
  mac(message: string): string {
    return createHmac('sha256', this.ticketSecret).update(message).digest('base64url').slice(0, 22);
  }

  private async replace(expected: string, next: StoredKeys): Promise<void> {
    const key = signingKeyKey(this.config.VQ_KEY_PREFIX);
    await this.redis.client.eval(COMPARE_AND_SET, 1, key, expected, JSON.stringify(next));
    const raw = (await this.redis.client.get(key))!;
    const read = readStoredKeys(raw);
    if (read.kind !== 'current') throw new Error("the waiting room's signing keys in Redis were not upgraded");
    await this.load(raw, read.keys);
  }

  private async load(raw: string, stored: StoredKeys): Promise<void> {
    const [current, previous] = stored.keys;
    const privateJwk = JSON.parse(unseal(this.kek, current!.privateJwk, current!.kid)) as JWK;
    this.privateKey = (await importJWK(privateJwk, 'EdDSA')) as CryptoKey;
    this.publicJwk = { ...current!.publicJwk, kid: current!.kid, alg: 'EdDSA', use: 'sig' };
    this.previousJwk = previous ? { ...previous.publicJwk, kid: previous.kid, alg: 'EdDSA', use: 'sig' } : null;
    this.ticketSecret = unseal(this.kek, stored.ticketSecret, ticketSecretAad);
    this.raw = raw;
  }
}
