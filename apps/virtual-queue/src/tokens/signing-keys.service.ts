import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type JWK, calculateJwkThumbprint, type CryptoKey } from 'jose';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { signingKeyKey } from '../redis/room-keys';
import { RedisProvider } from '../redis/redis.provider';

/** Version of the keys' JSON in Redis; a value without one is version 1's, written before versions were kept. */
export const STORED_KEYS_SCHEMA_VERSION = 1;

interface StoredKeys {
  schemaVersion?: number;
  privateJwk: JWK;
  ticketSecret: string;
}

/**
 * The keys as stored, refused when another release stored them in a shape this one cannot read: an instance
 * signing with keys of its own would hand out tokens the other instances refuse, so it does not start.
 */
export function readStoredKeys(raw: string): StoredKeys {
  const parsed = JSON.parse(raw) as unknown;
  const stored = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<StoredKeys>;
  const version = stored.schemaVersion ?? 1;
  if (version !== STORED_KEYS_SCHEMA_VERSION || typeof stored.ticketSecret !== 'string' || !stored.privateJwk)
    throw new Error(
      `the waiting room's signing keys in Redis are of schemaVersion ${JSON.stringify(version)}; ` +
        `this release reads ${STORED_KEYS_SCHEMA_VERSION}`,
    );
  return stored as StoredKeys;
}

/**
 * One Ed25519 key pair and one ticket MAC secret for every instance: the first instance to start stores them in
 * Redis (SET NX) and the others load them, so a token signed by one instance verifies on any other.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  privateKey!: CryptoKey;
  publicJwk!: JWK & { kid: string };
  private ticketSecret!: string;
  private stored!: StoredKeys;

  constructor(
    private readonly redis: RedisProvider,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const key = signingKeyKey(this.config.VQ_KEY_PREFIX);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const candidate: StoredKeys = {
      schemaVersion: STORED_KEYS_SCHEMA_VERSION,
      privateJwk: await exportJWK(privateKey),
      ticketSecret: randomBytes(32).toString('base64url'),
    };
    await this.redis.client.set(key, JSON.stringify(candidate), 'NX');
    const stored = readStoredKeys((await this.redis.client.get(key))!);
    this.stored = stored;
    this.privateKey = (await importJWK(stored.privateJwk, 'EdDSA')) as CryptoKey;
    const { d: _secret, ...publicJwk } = stored.privateJwk;
    const kid = await calculateJwkThumbprint(publicJwk);
    this.publicJwk = { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' };
    this.ticketSecret = stored.ticketSecret;
  }

  /**
   * Puts this instance's keys back when Redis lost them (a flush, a restart without persistence), so an instance
   * that starts afterwards loads the same keys instead of making new ones: tokens already handed out keep verifying
   * and ticket ids stay genuine everywhere. Returns false when Redis holds other keys (another instance got there
   * first with keys it made after the loss).
   */
  async restore(): Promise<boolean> {
    const key = signingKeyKey(this.config.VQ_KEY_PREFIX);
    const mine = JSON.stringify(this.stored);
    await this.redis.client.set(key, mine, 'NX');
    return (await this.redis.client.get(key)) === mine;
  }

  /** A ticket id's MAC binds room and visitor, so nobody can look up, or delete, another visitor's ticket. */
  ticketMac(room: string, visitorId: string): string {
    return createHmac('sha256', this.ticketSecret).update(`${room}\0${visitorId}`).digest('base64url').slice(0, 22);
  }
}
