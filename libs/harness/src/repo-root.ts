import fs from 'node:fs';
import path from 'node:path';

/** The workspace root (the folder holding nx.json), found from here so the harness works from src/ and from dist/. */
export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The git-ignored folder where the harness keeps data dirs, logs and its state file. */
export function surgeDir(...parts: string[]): string {
  const dir = path.join(repoRoot(), '.surge', ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
