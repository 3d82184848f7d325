import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Joins driven by wrk when the machine has it: on two cores autocannon's own JavaScript needs about a core,
 * so it measures itself as much as the queue. A unique visitor id per request comes from wrk's Lua hooks.
 */
const SCRIPT = `
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) counter = 0; run = args[1] end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"visitorId":"' .. run .. tid .. 'x' .. counter .. '"}')
end
`;

export interface WrkResult {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  requests: number;
}

export function hasWrk(): boolean {
  return fs.existsSync('/usr/bin/wrk');
}

function toMs(value: string, unit: string): number {
  return Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
}

/** `run` prefixes the visitor ids, so a measured run does not replay the warm-up's visitors (idempotent rejoins). */
export async function wrkJoins(url: string, seconds: number, connections: number, run: string): Promise<WrkResult> {
  return runWrk(url, seconds, connections, SCRIPT, [run]);
}

/** One wrk thread driven by `script` (wrk's Lua hooks), `args` passed to its init. */
export async function runWrk(
  url: string,
  seconds: number,
  connections: number,
  script: string,
  args: string[],
): Promise<WrkResult> {
  const scriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'surge-wrk-')), 'script.lua');
  fs.writeFileSync(scriptFile, script);
  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      '/usr/bin/wrk',
      ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', scriptFile, url, '--', ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(output);
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0),
    p99Ms: p99 ? toMs(p99[1]!, p99[2]!) : NaN,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? 0),
  };
}
