import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_ERROR_EXIT_CODE } from '@surge/config';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './ports';
import { startService } from './service-process';
import { ServiceSupervisor } from './service-supervisor';
import { waitFor } from './wait-for';

// Real child processes: a tiny HTTP server started exactly as npm start starts a service.
const FIXTURE = path.join(__dirname, 'fixtures', 'ready-server.cjs');
const BACKOFF = { firstDelayMs: 200, maxDelayMs: 1000, stableAfterMs: 60_000 };

describe('ServiceSupervisor', () => {
  let root: string;
  let supervisor: ServiceSupervisor | null = null;
  let lines: string[];

  afterEach(async () => {
    await supervisor?.stop();
    supervisor = null;
    rmSync(root, { recursive: true, force: true });
  });

  async function supervised(): Promise<{ url: string; pid: number }> {
    root = mkdtempSync(path.join(tmpdir(), 'surge-supervisor-'));
    copyFileSync(FIXTURE, path.join(root, 'ready-server.cjs'));
    const port = await freePort();
    lines = [];
    supervisor = new ServiceSupervisor('fixture', () => startService(root, 'fixture', 'ready-server.cjs', port, {}), {
      backoff: BACKOFF,
      say: (line) => lines.push(line),
    });
    const service = await supervisor.start();
    return { url: service.url, pid: service.child.pid! };
  }

  /** Polls until `check` holds; the spec fails with what it waited for. */
  async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
    await waitFor(async () => check(), { what, fix: 'see the supervisor lines above', timeoutMs, intervalMs: 50 });
  }

  async function readyPid(url: string): Promise<number | null> {
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(500) });
      return res.ok ? ((await res.json()) as { pid: number }).pid : null;
    } catch {
      return null;
    }
  }

  it('restarts a service killed with SIGKILL and says so', async () => {
    const { url, pid } = await supervised();
    process.kill(pid, 'SIGKILL');

    await until(async () => {
      const now = await readyPid(url);
      return now !== null && now !== pid;
    }, 'the fixture ready again in a new process');
    await until(() => supervisor!.state === 'running', 'running');

    expect(lines[0]).toBe('surge: fixture exited (signal SIGKILL); restarting in 0.2 s (attempt 1)');
    expect(lines[1]).toBe(`surge: fixture ready again at ${url}`);
    expect(supervisor!.service!.child.pid).not.toBe(pid);
  });

  it('backs off, doubling, while restarts keep failing, and recovers once they stop failing', async () => {
    const { url, pid } = await supervised();
    writeFileSync(path.join(root, 'boot-exit-code'), '1');
    process.kill(pid, 'SIGKILL');

    await until(() => lines.length >= 3, 'three restart lines');
    rmSync(path.join(root, 'boot-exit-code'));
    await until(async () => (await readyPid(url)) !== null, 'ready');

    expect(lines.slice(0, 3)).toEqual([
      'surge: fixture exited (signal SIGKILL); restarting in 0.2 s (attempt 1)',
      'surge: fixture exited (code 1) on restart; restarting in 0.4 s (attempt 2)',
      'surge: fixture exited (code 1) on restart; restarting in 0.8 s (attempt 3)',
    ]);
    await until(() => lines.at(-1) === `surge: fixture ready again at ${url}`, 'the ready-again line');
  });

  it('gives up on a service that exits with the configuration-error code', async () => {
    const { url } = await supervised();
    await fetch(`${url}/exit?code=${CONFIG_ERROR_EXIT_CODE}`).catch(() => undefined);

    await until(() => supervisor!.state === 'given-up', 'given up');
    // Several backoff periods: a restart, had one been scheduled, would have answered by now.
    await new Promise((r) => setTimeout(r, 4 * BACKOFF.firstDelayMs));
    expect(await readyPid(url)).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^surge: fixture exited \(code 78\): its configuration is invalid, so it is not restarted/,
    );
  });

  it('gives up when a restart fails on invalid configuration', async () => {
    const { url, pid } = await supervised();
    writeFileSync(path.join(root, 'boot-exit-code'), String(CONFIG_ERROR_EXIT_CODE));
    process.kill(pid, 'SIGKILL');

    await until(() => supervisor!.state === 'given-up', 'given up');
    await new Promise((r) => setTimeout(r, 4 * BACKOFF.firstDelayMs));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^surge: fixture exited \(code 78\) on restart: its configuration is invalid/);
    expect(await readyPid(url)).toBeNull();
  });

  it('does not restart a service once restarts are held for a shutdown', async () => {
    const { url, pid } = await supervised();
    supervisor!.holdRestarts();
    process.kill(pid, 'SIGKILL');

    await new Promise((r) => setTimeout(r, 4 * BACKOFF.firstDelayMs));
    expect(lines).toEqual([]);
    expect(supervisor!.state).toBe('stopped');
    expect(await readyPid(url)).toBeNull();
  });

  it('does not restart a service it is stopping', async () => {
    const { url } = await supervised();
    const current = supervisor!;
    await current.stop();
    supervisor = null;

    await new Promise((r) => setTimeout(r, 4 * BACKOFF.firstDelayMs));
    expect(lines).toEqual([]);
    expect(current.state).toBe('stopped');
    expect(await readyPid(url)).toBeNull();
  });
});
