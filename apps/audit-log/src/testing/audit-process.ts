import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, repoRoot } from '@surge/harness';
import { TEST_ADMIN_TOKEN } from './test-app';
import { testSigningEnv } from '@surge/signing/testing';

export interface AuditProcess {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs dist/apps/audit-log/src/main.js as its own process and waits until /health/ready answers 200. */
export async function startAuditProcess(env: Record<string, string>, logName: string): Promise<AuditProcess> {
  const port = await freePort();
  fs.mkdirSync(path.join(repoRoot(), 'test-artifacts'), { recursive: true });
  const log = fs.openSync(path.join(repoRoot(), 'test-artifacts', `${logName}.log`), 'a');
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist/apps/audit-log/src/main.js')], {
    cwd: repoRoot(),
    env: {
      ...process.env,
      ...testSigningEnv('control-plane'),
      SURGE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  // The child holds its own copy of the descriptor.
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`audit-log exited with ${child.exitCode}; see test-artifacts/${logName}.log`);
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`audit-log not ready within 60 s; see test-artifacts/${logName}.log`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Per-test topic names, through the SURGE_TOPIC_* overrides every Surge app reads. */
export function uniqueTopicEnv(suffix: string): Record<string, string> {
  return {
    SURGE_TOPIC_DECISIONS: `audit-${suffix}.decisions`,
    SURGE_TOPIC_ACTIONS: `audit-${suffix}.actions`,
    SURGE_TOPIC_QUEUE_EVENTS: `audit-${suffix}.queue`,
    SURGE_TOPIC_CONTROL: `audit-${suffix}.control`,
    SURGE_TOPIC_DEADLETTER: `audit-${suffix}.deadletter`,
    SURGE_TOPIC_ALERTS: `audit-${suffix}.alerts`,
    SURGE_TOPIC_EXPLANATIONS: `audit-${suffix}.explanations`,
  };
}
