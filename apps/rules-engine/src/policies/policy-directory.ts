import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '@surge/config';
import type { PolicyFile } from '@surge/policy';

/** SURGE_POLICIES_DIR cannot be read: at boot the engine stops as misconfigured; later its policies stay in force. */
export class PolicyDirectoryError extends ConfigurationError {
  override readonly name = 'PolicyDirectoryError';
}

/** Every .yaml/.yml file under a directory (a mounted ConfigMap), skipping Kubernetes' hidden ..data plumbing. */
export function readPolicyDirectory(dir: string): PolicyFile[] {
  try {
    return readTree(dir);
  } catch (error) {
    throw new PolicyDirectoryError(`SURGE_POLICIES_DIR ${dir} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function readTree(dir: string): PolicyFile[] {
  const files: PolicyFile[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry.name)) files.push({ file: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return files;
}
