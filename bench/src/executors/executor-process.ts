import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { testSigningEnv } from '@surge/signing/testing';

export interface ExecutorProcess {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a built executor app (dist/apps/<app>/src/main.js) as its own process, and resolves once it logs that it
 * consumes decisions. Stopped with SIGTERM, by its pid, and awaited: the graceful shutdown is part of what runs.
 */
export async function startExecutorProcess(
  root: string,
  app: string,
  env: Record<string, string>,
): Promise<ExecutorProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'dist', 'apps', app, 'src', 'main.js')], {
    cwd: root,
    // Signed as in production: the bench's test bed signs its decisions with the same test keys.
    env: { ...process.env, ...testSigningEnv('executor'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('consuming')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${app} exited with ${code} before consuming:\n${output.slice(-2000)}`)),
    );
  });
  const timeout = setTimeout(() => child.kill('SIGTERM'), 60_000);
  try {
    await ready;
  } finally {
    clearTimeout(timeout);
  }
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
