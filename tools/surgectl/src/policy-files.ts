import fs from 'node:fs';
import path from 'node:path';
import type { PolicyFile } from '@surge/policy';

const POLICY_FILE = /\.ya?ml$/i;

/** A policy file, or every .yaml/.yml file of a directory tree (a ConfigMap's mount, say), in name order. */
export function readPolicyFiles(location: string): PolicyFile[] {
  const stat = fs.statSync(location, { throwIfNoEntry: false });
  if (!stat) throw new Error(`${location}: no such file or directory`);
  if (stat.isFile()) return [{ file: location, text: fs.readFileSync(location, 'utf8') }];
  const files: PolicyFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      // Kubernetes mounts ConfigMaps through ..data symlinked directories; hidden entries are its plumbing.
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (POLICY_FILE.test(entry.name)) files.push({ file: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(location);
  return files;
}
