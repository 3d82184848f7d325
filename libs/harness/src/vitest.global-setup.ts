import fs from 'node:fs';
import path from 'node:path';
import { readEnvFile } from './env-file';
import { infraDown, infraUp } from './infra';
import { isAlive } from './managed-process';
import { surgeDir } from './repo-root';
import { SERVICE_ENV_KEYS, type ServiceEnv, type StartedService } from './service-record';

/*
 * Vitest global setup of the integration and e2e projects. It runs in the main vitest process before the fork
 * workers start, and workers inherit process.env: setting the addresses here is how every test sees them.
 * Services already given (env vars) or up (.env.local answering) are reused; whatever this run had to start it
 * stops at the end, unless another test run started meanwhile is still using them (leases below).
 */
function leaseDir(): string {
  return surgeDir('infra-leases');
}

function otherLiveLeases(): number[] {
  return fs
    .readdirSync(leaseDir())
    .map(Number)
    .filter((pid) => pid !== process.pid && pid > 0 && isAlive(pid));
}

export default async function setup(): Promise<() => Promise<void>> {
  const lease = path.join(leaseDir(), String(process.pid));
  fs.writeFileSync(lease, '');
  let started: StartedService[] = [];
  try {
    const result = await infraUp((line) => process.stderr.write(`surge harness: ${line}\n`));
    started = result.started;
    exportEnv(result.env);
  } catch (error) {
    fs.rmSync(lease, { force: true });
    throw error;
  }
  return async () => {
    fs.rmSync(lease, { force: true });
    if (started.length === 0) return;
    if (otherLiveLeases().length > 0) {
      process.stderr.write('surge harness: another test run still uses the services; `npm run infra:down` stops them\n');
      return;
    }
    await infraDown(started);
  };
}

function exportEnv(env: ServiceEnv): void {
  const fromFile = readEnvFile();
  for (const key of SERVICE_ENV_KEYS) process.env[key] = env[key] || fromFile[key] || '';
}
