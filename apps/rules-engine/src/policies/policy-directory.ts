import fs from 'node:fs';
import path from 'node:path';
import type { PolicyFile } from '@surge/policy';

/** Every .yaml/.yml file under a directory (a mounted ConfigMap), skipping Kubernetes' hidden ..data plumbing. */
export function readPolicyDirectory(dir: string): PolicyFile[] {
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
