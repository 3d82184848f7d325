import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readEnvFile } from './env-file';
import { infraDown, infraUp } from './infra';
import { isAlive } from './managed-process';
import { repoRoot, surgeDir } from './repo-root';
import { SERVICE_ENV_KEYS, type ServiceEnv } from './service-record';

/*
 * Vitest global setup of the integration and e2e projects. It runs in the main vitest process before the fork
 * workers start, and workers inherit process.env: setting the addresses here is how every test sees them.
 * Services already given (env vars) or up (.env.local answering) are reused. What test runs had to start is
 * stopped by the last run to finish (leases below), so two runs started together don't pull services from each
 * other; what `npm run infra:up` started is left running.
 */
function leaseDir(): string {
  return surgeDir('infra-leases');
}

/** Leases of other test runs still running; those of runs that died without teardown are removed on the way. */
function otherLiveLeases(): number[] {
  const live: number[] = [];
  for (const name of fs.readdirSync(leaseDir())) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (pid > 0 && isAlive(pid)) live.push(pid);
    else fs.rmSync(path.join(leaseDir(), name), { force: true });
  }
  return live;
}

/**
 * Compiles the workspace (incrementally, about a second from cold) so that every test spawning a service from
 * dist/ runs the current sources, whether the run came from `npm test` or a bare `npx vitest`.
 */
function buildWorkspace(): void {
  execFileSync(process.execPath, [path.join(repoRoot(), 'tools/build.cjs')], {
    cwd: repoRoot(),
    env: { ...process.env, SURGE_BUILD_QUIET: '1' },
    stdio: 'inherit',
  });
}

export default async function setup(): Promise<() => Promise<void>> {
  buildWorkspace();
  const lease = path.join(leaseDir(), String(process.pid));
  fs.writeFileSync(lease, '');
  try {
    const result = await infraUp((line) => process.stderr.write(`surge harness: ${line}\n`), true);
    exportEnv(result.env);
  } catch (error) {
    fs.rmSync(lease, { force: true });
    throw error;
  }
  return async () => {
    fs.rmSync(lease, { force: true });
    if (otherLiveLeases().length > 0) return;
    await infraDown((record) => record.startedByTestRun === true);
  };
}

function exportEnv(env: ServiceEnv): void {
  const fromFile = readEnvFile();
  for (const key of SERVICE_ENV_KEYS) process.env[key] = env[key] || fromFile[key] || '';
}
