import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, repoRoot } from '@surge/harness';
import { testKeyEncryptionKeyFile } from './key-encryption-file';

export interface QueueProcess {
  base: string;
  process: ChildProcess;
  stop: () => void;
}

/**
 * The built queue (dist/, as the e2e global setup leaves it) as a process of its own on a free port, standalone
 * (no Kafka), ready when this resolves. `env` adds to or overrides the test defaults.
 */
export async function spawnQueueProcess(env: Record<string, string>): Promise<QueueProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['dist/apps/virtual-queue/src/main.js'], {
    cwd: repoRoot(),
    env: {
      ...process.env,
      KAFKA_BROKERS: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      VQ_KEY_ENCRYPTION_KEY_FILE: testKeyEncryptionKeyFile(),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${base}/health/ready`).catch(() => null))?.ok) {
    if (child.exitCode !== null) throw new Error(`the queue exited with ${child.exitCode} before it was ready`);
    if (Date.now() > deadline) throw new Error('the queue was not ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base, process: child, stop: () => child.kill('SIGTERM') };
}
