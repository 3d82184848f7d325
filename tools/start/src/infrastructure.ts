import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readEnvFile } from '@surge/harness';

export interface Infrastructure {
  env: Record<string, string>;
  /** Stops only what this run started: infrastructure that was already up before `npm start` keeps running. */
  stop(): void;
}

/** Brings the infrastructure up exactly as `npm run infra:up` does, and reads the addresses it wrote. */
export function bringUpInfrastructure(root: string): Infrastructure {
  const stateFile = path.join(root, '.surge', 'infra-state.json');
  const alreadyUp = existsSync(stateFile);
  const node = process.execPath;
  const up = spawnSync(node, [path.join(root, 'dist/tools/infra/src/up.js')], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (up.status !== 0) throw new Error('infrastructure did not come up (see the messages above)');
  const env = readEnvFile(path.join(root, '.env.local'));
  return {
    env,
    stop: () => {
      if (alreadyUp) return;
      spawnSync(node, [path.join(root, 'dist/tools/infra/src/down.js')], { cwd: root, stdio: 'inherit' });
    },
  };
}
