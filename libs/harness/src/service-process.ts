import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface RunningService {
  name: string;
  url: string;
  logFile: string;
  child: ChildProcess;
}

/** A service that exited before it was ready; its exit code tells a supervisor whether to try again. */
export class ServiceExitedError extends Error {
  constructor(
    readonly serviceName: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`${serviceName} exited (${describeExit(exitCode, signal)}) before it was ready`);
    this.name = 'ServiceExitedError';
  }
}

/** `code 1`, `signal SIGKILL`: how an exit is named on the console. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

async function waitReady(url: string, child: ChildProcess, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    // A child killed by a signal has no exit code, only a signal code: either means it is gone.
    if (child.exitCode !== null || child.signalCode !== null)
      throw new ServiceExitedError(name, child.exitCode, child.signalCode);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready at ${url}/health/ready after ${timeoutMs} ms: ${last}`);
}

/** Starts one service as its own Node process, logs to a file, and resolves once /health/ready answers 200. */
export async function startService(
  root: string,
  name: string,
  entry: string,
  port: number,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<RunningService> {
  const logDir = path.join(root, '.surge', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, entry)], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, name, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    (error as Error).message += `\n  log: ${logFile}`;
    throw error;
  }
  return { name, url, logFile, child };
}

/** SIGTERM, then wait for the service's graceful shutdown (flush, commit); SIGKILL only past the grace period. */
export async function stopService(service: RunningService, graceMs = 15_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
