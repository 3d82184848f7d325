import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_ERROR_EXIT_CODE } from '@surge/config';
import { repoRoot } from '@surge/harness';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'surge-bad-config-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};
const brokenYaml = file('broken.yaml', 'targets: [ {\n');
const badRooms = file('rooms.yaml', 'rooms: { tickets: { maxActive: "lots" } }\n');
const missing = path.join(dir, 'missing.yaml');
const demoTargets = path.join(repoRoot(), 'examples/targets/demo.yaml');
const ADMIN = 'bad-config-admin-token-0123456789';
// Nothing listens on port 1: a service that got past its configuration would keep retrying, not exit.
const kafka = { KAFKA_BROKERS: '127.0.0.1:1', SURGE_SIGNING_OPEN: 'true', PORT: '0', HOST: '127.0.0.1' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a built service with only `env` (none of the machine's settings) until it exits; its code and stderr. */
function runBuilt(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), `dist/apps/${app}/src/main.js`)], {
      cwd: repoRoot(),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A service that does not exit on its own has taken the bad file: the test fails on its code, not a hang.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/**
 * A configuration file read at boot that is missing, unreadable or invalid is invalid configuration: the service
 * exits with CONFIG_ERROR_EXIT_CODE, as for a bad variable, so a supervisor (npm start, Kubernetes' restart
 * policy with an alert on the code) does not restart it in a loop. Each case names what its message must say.
 */
describe('a built service given a bad configuration file', () => {
  it.each([
    ['executor-k8s', { ...kafka, SURGE_TARGETS_FILE: brokenYaml }, `Cannot read targets file ${brokenYaml}`],
    ['executor-database', { ...kafka, SURGE_TARGETS_FILE: missing }, `Cannot read targets file ${missing}`],
    ['executor-cache', { ...kafka, SURGE_TARGETS_FILE: brokenYaml }, 'Cannot read targets file'],
    [
      'executor-localpool',
      { ...kafka, SURGE_ADMIN_TOKEN: ADMIN, SURGE_TARGETS_FILE: brokenYaml },
      'Cannot read targets file',
    ],
    [
      'executor-k8s',
      { ...kafka, SURGE_TARGETS_FILE: demoTargets },
      'The targets file names environment variables that are not set',
    ],
    [
      'virtual-queue',
      { ...kafka, KAFKA_BROKERS: '', SURGE_ADMIN_TOKEN: ADMIN, VQ_ROOMS_FILE: badRooms },
      `Invalid rooms file ${badRooms}: rooms.tickets.maxActive`,
    ],
    [
      'virtual-queue',
      { ...kafka, KAFKA_BROKERS: '', SURGE_ADMIN_TOKEN: ADMIN, VQ_ROOMS_FILE: missing },
      `Cannot read rooms file ${missing}`,
    ],
    ['metrics-ingest', { ...kafka, SURGE_INGEST_TOKENS_FILE: brokenYaml }, `SURGE_INGEST_TOKENS_FILE ${brokenYaml}`],
    ['metrics-ingest', { ...kafka, SURGE_INGEST_TOKENS_FILE: missing }, `SURGE_INGEST_TOKENS_FILE ${missing}`],
    ['rules-engine', { ...kafka, SURGE_POLICIES_DIR: missing }, `SURGE_POLICIES_DIR ${missing} cannot be read`],
    [
      'rules-engine',
      { ...kafka, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing },
      `KAFKA_SSL_CA_FILE ${missing} cannot be read`,
    ],
    [
      'audit-log',
      {
        ...kafka,
        DATABASE_URL: 'postgres://surge@127.0.0.1:1/surge',
        SURGE_ADMIN_TOKEN: ADMIN,
        SURGE_CONSOLE_DIR: missing,
      },
      `SURGE_CONSOLE_DIR ${missing} holds no index.html`,
    ],
  ])('%s exits with the configuration error code (case %#)', async (app, env, message) => {
    const { code, stderr } = await runBuilt(app, env);
    expect(stderr).toContain(message);
    expect(code).toBe(CONFIG_ERROR_EXIT_CODE);
  });
});
