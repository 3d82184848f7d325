import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Infrastructure {
  env: Record<string, string>;
  /** Stops only what this run started: infrastructure that was already up before `npm start` keeps running. */
  stop(): void;
}

function parseEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match) env[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** Brings the infrastructure up exactly as `npm run infra:up` does, and reads the addresses it wrote. */
export function bringUpInfrastructure(root: string): Infrastructure {
  const stateFile = path.join(root, '.surge', 'infra-state.json');
  const alreadyUp = existsSync(stateFile);
  const node = process.execPath;
  const up = spawnSync(node, [path.join(root, 'dist/tools/infra/src/up.js')], { cwd: root, stdio: 'inherit', env: process.env });
  if (up.status !== 0) throw new Error('infrastructure did not come up (see the messages above)');
  const env = parseEnvFile(path.join(root, '.env.local'));
  return {
    env,
    stop: () => {
      if (alreadyUp) return;
      spawnSync(node, [path.join(root, 'dist/tools/infra/src/down.js')], { cwd: root, stdio: 'inherit' });
    },
  };
}
