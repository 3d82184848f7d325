import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@surge/service-kit';
import { testSigningEnv } from '@surge/signing/testing';
import { AppModule } from '../app.module';
import { trustProxyOf } from '../config/edge-env';
import { deleteKeys } from './delete-keys';
import { testKeyEncryptionKeyFile } from './key-encryption-file';
import { loadVirtualQueueConfig, type VirtualQueueConfig } from '../config/virtual-queue.config';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export { testKeyEncryptionKeyFile };

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: VirtualQueueConfig;
  admin: (method: string, path: string, body?: unknown) => Promise<Response>;
  close: () => Promise<void>;
  call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;
}

/**
 * The real app on a free port against the real Redis (and Kafka when asked), isolated by a key prefix. With Kafka it
 * holds the executors' test key, so it verifies decisions and control events as the app does in production.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadVirtualQueueConfig({
    ...testSigningEnv('executor'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SURGE_ADMIN_TOKEN: ADMIN_TOKEN,
    VQ_KEY_PREFIX: `test:vq:${randomUUID()}:`,
    VQ_ADMIT_INTERVAL_MS: '50',
    VQ_KEY_ENCRYPTION_KEY_FILE: testKeyEncryptionKeyFile(),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const app = (await createServiceApp(AppModule.forRoot(config) as never, {
    name: 'virtual-queue',
    trustProxy: trustProxyOf(config),
  })) as NestFastifyApplication;
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const admin = (method: string, path: string, body?: unknown) =>
    call(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` });
  const close = async () => {
    await app.close();
    await deleteKeys(config.REDIS_URL, [config.VQ_KEY_PREFIX]);
  };
  return { app, url, config, admin, call, close };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}
