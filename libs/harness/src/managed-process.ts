import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';

export interface SpawnOptions {
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Detached processes outlive the Node process that started them (npm run infra:up); others die with it. */
  detached?: boolean;
}

export interface ManagedProcess {
  pid: number;
  /** Why the process is gone, if it already exited: lets waits fail fast instead of timing out. */
  exitReason(): string | undefined;
}

/** Starts a server with its output in a log file, so a failure can point the reader at the file. */
export function spawnLogged(options: SpawnOptions): ManagedProcess {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached ?? false,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let exitReason: string | undefined;
  child.once('error', (error) => (exitReason = `could not start ${options.command}: ${error.message}`));
  child.once('exit', (code, signal) => {
    exitReason = `${options.command} exited with ${signal ?? `code ${code}`} (log: ${options.logFile})`;
  });
  if (options.detached) child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${options.command}: no pid`);
  return { pid: child.pid, exitReason: () => exitReason };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The command line of a live pid, used to make sure a recorded pid was not reused by an unrelated process. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Stops one pid we started: SIGTERM, then SIGKILL after graceMs. Does nothing when the pid now runs something else. */
export async function stopPid(pid: number, marker: string, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid) || !commandLine(pid).includes(marker)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** SIGKILL, for outage tests; waits until the pid is gone. The marker guards against a reused pid, as in stopPid. */
export async function killPid(pid: number, marker: string, timeoutMs = 10_000): Promise<void> {
  if (!isAlive(pid) || !commandLine(pid).includes(marker)) return;
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Runs a short command to completion, throwing its output on failure. Asynchronous on purpose: a blocking spawnSync
 * (StorageTool, initdb) would stall the event loop and make the probes of the other services time out meanwhile.
 */
export function runChecked(command: string, args: string[], fix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const output = (stderr || stdout || error.message).trim().split('\n').slice(-3).join(' | ');
      reject(new Error(`${command} ${args.join(' ')} failed: ${output}. Fix: ${fix}`));
    });
  });
}

/** Commands that must run as the service's own user when we are root (PostgreSQL and PgBouncer refuse root). */
export function asServiceUser(user: string, command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
}
