import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';
import { z } from 'zod';
import { DEFAULT_PROFILE_KEY, profileFields, ttlProfilesOption } from './cache-profile';
import { infoMemory, RedisClientCache, toExecutorError } from './redis-clients';

const MAXMEMORY = 'maxmemory';
const TTL_PROFILE = 'ttl_profile';

const optionsSchema = z.object({
  /** Free memory kept above used_memory: a maxmemory below used + headroom would start evicting on the spot. */
  headroomBytes: z
    .number()
    .int()
    .nonnegative()
    .default(32 * 1024 * 1024),
  /** Set together with maxmemory, so a new limit never meets a `noeviction` policy that would fail writes instead. */
  maxmemoryPolicy: z
    .enum([
      'noeviction',
      'allkeys-lru',
      'allkeys-lfu',
      'allkeys-random',
      'volatile-lru',
      'volatile-lfu',
      'volatile-random',
      'volatile-ttl',
    ])
    .optional(),
  ttlProfiles: ttlProfilesOption.optional(),
  profileKey: z.string().min(1).default(DEFAULT_PROFILE_KEY),
});
type CacheOptions = z.infer<typeof optionsSchema>;

/** Redis as a cache: its memory limit and eviction policy at run time (CONFIG SET), and the TTL profile hash. */
export class RedisCacheAdapter implements Executor {
  readonly kinds = ['RedisCache'] as const;
  private readonly clients = new RedisClientCache();

  async read(target: ResolvedTarget, setting: string): Promise<number> {
    const client = this.clients.get(target.connection);
    const options = optionsOf(target);
    try {
      if (setting === MAXMEMORY) return Number((await client.config('GET', MAXMEMORY))[1]);
      if (setting === TTL_PROFILE) return Number((await client.hget(options.profileKey, 'level')) ?? 0);
    } catch (error) {
      throw toExecutorError(error, `read ${setting} of ${target.entry.id}`);
    }
    throw unsupported(setting);
  }

  async check(target: ResolvedTarget, setting: string, value: number): Promise<void> {
    const options = optionsOf(target);
    if (setting === TTL_PROFILE && !options.ttlProfiles?.[value]) {
      throw new ExecutorError(ExecutorErrorCode.Refused, `${target.entry.id} has no TTL profile at level ${value}`);
    }
    if (setting !== MAXMEMORY || value === 0) return;
    let used: number;
    try {
      used = (await infoMemory(this.clients.get(target.connection)))['used_memory'] ?? 0;
    } catch (error) {
      throw toExecutorError(error, `INFO memory of ${target.entry.id}`);
    }
    if (value < used + options.headroomBytes) {
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `maxmemory ${value} is below used_memory ${used} + headroom ${options.headroomBytes}: Redis would evict at once`,
      );
    }
  }

  async apply(target: ResolvedTarget, setting: string, value: number, ctx: ApplyContext): Promise<void> {
    const client = this.clients.get(target.connection);
    const options = optionsOf(target);
    try {
      if (setting === MAXMEMORY) {
        // One MULTI so the limit and the policy change together.
        const multi = client.multi().config('SET', MAXMEMORY, String(value));
        if (options.maxmemoryPolicy) multi.config('SET', 'maxmemory-policy', options.maxmemoryPolicy);
        throwFirstError(await multi.exec());
        return;
      }
      if (setting === TTL_PROFILE) {
        const fields = profileFields(value, options.ttlProfiles![value]!, ctx.decision.decisionId, Date.now());
        // Replace, not merge: a class the new profile does not name must fall back to the application's default.
        throwFirstError(await client.multi().del(options.profileKey).hset(options.profileKey, fields).exec());
        return;
      }
    } catch (error) {
      throw toExecutorError(error, `set ${setting} of ${target.entry.id}`);
    }
    throw unsupported(setting);
  }

  async observe(target: ResolvedTarget): Promise<Record<string, number>> {
    const client = this.clients.get(target.connection);
    const memory = await infoMemory(client);
    const observed: Record<string, number> = {
      maxmemory: memory['maxmemory'] ?? Number((await client.config('GET', MAXMEMORY))[1]),
      used_memory: memory['used_memory'] ?? 0,
    };
    if (optionsOf(target).ttlProfiles) observed[TTL_PROFILE] = await this.read(target, TTL_PROFILE);
    return observed;
  }

  close(): Promise<void> {
    return this.clients.closeAll();
  }
}

function optionsOf(target: ResolvedTarget): CacheOptions {
  const parsed = optionsSchema.safeParse(target.entry.options);
  if (!parsed.success)
    throw new ExecutorError(
      ExecutorErrorCode.Invalid,
      `options of ${target.entry.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function unsupported(setting: string): ExecutorError {
  return new ExecutorError(
    ExecutorErrorCode.Refused,
    `RedisCache has no setting ${setting}; it sets ${MAXMEMORY} and ${TTL_PROFILE}`,
  );
}

function throwFirstError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
