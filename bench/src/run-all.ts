import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench`: every benchmark, one after another so they don't compete for the two cores. Each bench
 * measures its own baseline in the same run and writes bench/results/<name>.json and its BENCHMARKS.md section.
 */
const BENCHES = ['ingest', 'rules', 'executors', 'queue', 'audit'];

const root = path.resolve(__dirname, '../../..');
const failed: string[] = [];
for (const name of BENCHES) {
  const entry = path.join(root, 'dist', 'bench', 'src', `${name}.bench.js`);
  if (!existsSync(entry)) {
    process.stdout.write(`bench: ${name} has no benchmark in this build; skipped\n`);
    continue;
  }
  process.stdout.write(`\n=== bench:${name} ===\n`);
  const run = spawnSync(process.execPath, [entry], { cwd: root, stdio: 'inherit', env: process.env });
  if (run.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
