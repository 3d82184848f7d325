import { ExecutorError, ExecutorErrorCode } from '@surge/executor-framework';
import { Redis, ReplyError } from 'ioredis';

/** One client per target Redis URL, failing fast when the server is down so retries stay within the lane's budget. */
export class RedisClientCache {
  private readonly byUrl = new Map<string, Redis>();

  get(url: string | null): Redis {
    if (!url)
      throw new ExecutorError(
        ExecutorErrorCode.Invalid,
        'a RedisCache target needs a connection (env or secretFile holding a redis:// URL)',
      );
    let client = this.byUrl.get(url);
    if (!client) {
      client = new Redis(url, {
        connectTimeout: 1000,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(times * 100, 1000),
      });
      client.on('error', () => undefined);
      this.byUrl.set(url, client);
    }
    return client;
  }

  async closeAll(): Promise<void> {
    for (const client of this.byUrl.values()) client.disconnect();
    this.byUrl.clear();
  }
}

/** A reply error (bad argument, unknown config) is Redis saying no for good; anything else is treated as transient. */
export function toExecutorError(error: unknown, what: string): ExecutorError {
  if (error instanceof ExecutorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ReplyError ? ExecutorErrorCode.Invalid : ExecutorErrorCode.Unavailable;
  return new ExecutorError(code, `${what}: ${message}`, { cause: error });
}

/** `INFO memory` as numbers where the value is numeric. */
export async function infoMemory(client: Redis): Promise<Record<string, number>> {
  const text = await client.info('memory');
  const fields: Record<string, number> = {};
  for (const line of text.split(/\r?\n/)) {
    const [key, value] = line.split(':');
    if (key && value !== undefined && value.trim() !== '' && Number.isFinite(Number(value)))
      fields[key] = Number(value);
  }
  return fields;
}
