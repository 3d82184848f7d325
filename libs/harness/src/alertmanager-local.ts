import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killPid, spawnLogged, stopPid } from './managed-process';
import { freePort } from './ports';
import { waitFor } from './wait-for';

export interface LocalAlertmanager {
  /** The base URL of its HTTP API and UI, on the free loopback port it was given. */
  url: string;
  port: number;
  pid: number;
  dir: string;
  configPath: string;
  stop(): Promise<void>;
  /** For outage tests: SIGKILL, so nothing is flushed on the way out. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and data dir after kill9(), and waits until it is ready. */
  restart(): Promise<void>;
}

export interface LocalAlertmanagerOptions {
  /** Where every alert is posted; without one, alerts are kept (API, UI) but routed to a receiver that sends nothing. */
  webhookUrl?: string;
  /** Short by default so a test sees a notification within seconds of the alert; production uses 30 s / 5 min. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Defaults to a fresh temporary dir, removed on stop. */
  dir?: string;
  detached?: boolean;
  timeoutMs?: number;
}

function alertmanagerBinary(): string {
  const debian = '/usr/bin/prometheus-alertmanager';
  return fs.existsSync(debian) ? debian : 'alertmanager';
}

function configText(options: LocalAlertmanagerOptions): string {
  const receiver = options.webhookUrl
    ? [
        '  - name: webhook',
        '    webhook_configs:',
        // Resolved notifications are what a test (and an operator) waits for as much as firing ones.
        `      - url: ${JSON.stringify(options.webhookUrl)}`,
        '        send_resolved: true',
      ]
    : ['  - name: webhook'];
  return [
    'route:',
    '  receiver: webhook',
    // One group per alert: a test's alert is never held back behind another test's group.
    "  group_by: ['...']",
    `  group_wait: ${options.groupWait ?? '1s'}`,
    `  group_interval: ${options.groupInterval ?? '1s'}`,
    `  repeat_interval: ${options.repeatInterval ?? '1h'}`,
    'receivers:',
    ...receiver,
    '',
  ].join('\n');
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Debian's prometheus-alertmanager as a private process on a free loopback port, with its own data dir and a
 * config routing every alert to one webhook. Clustering is off (an empty cluster.listen-address): a lone instance
 * would otherwise wait for peers and listen on a second, fixed port that parallel runs would fight over.
 */
export async function startLocalAlertmanager(options: LocalAlertmanagerOptions = {}): Promise<LocalAlertmanager> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'surge-alertmanager-'));
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configPath = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(configPath, configText(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, 'alertmanager.log');
  const spawnServer = () =>
    spawnLogged({
      command: alertmanagerBinary(),
      args: [
        `--config.file=${configPath}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      logFile,
      detached: options.detached,
    });
  let proc = spawnServer();
  const answering = () =>
    waitFor(() => ready(url), {
      what: `Alertmanager at ${url}`,
      fix: `apt-get install prometheus-alertmanager (see ${logFile}) or set ALERTMANAGER_URL`,
      timeoutMs: options.timeoutMs ?? 15_000,
      abortReason: () => proc.exitReason(),
    });
  // The config path is on its command line, so it tells our process from any other Alertmanager.
  const stop = async (): Promise<void> => {
    await stopPid(proc.pid, configPath);
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await answering();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    get pid() {
      return proc.pid;
    },
    dir,
    configPath,
    stop,
    kill9: () => killPid(proc.pid, configPath),
    restart: async () => {
      proc = spawnServer();
      await answering();
    },
  };
}

/** True when an Alertmanager answers ready at this URL. */
export function alertmanagerAnswers(url: string): Promise<boolean> {
  return ready(url.replace(/\/+$/, ''));
}
