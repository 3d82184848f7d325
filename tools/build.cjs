#!/usr/bin/env node
'use strict';
/**
 * Compiles every TypeScript source of the workspace to CommonJS under dist/, keeping the tree's layout
 * (apps/x/src/main.ts -> dist/apps/x/src/main.js). SWC is used rather than tsc because it is two orders of
 * magnitude faster, so `npm start` can build on every run; type checking is `npm run typecheck`'s job.
 * The tsconfig path aliases (@surge/*) are rewritten to relative paths, so the output runs on plain Node.
 *
 * `--then <file> [args…]` runs the built file with the same Node once the build is done.
 */
const fs = require('node:fs');
const path = require('node:path');

// Before the first require of a dependency: on a fresh clone there is no node_modules yet.
require('./ensure-deps.cjs').ensureDeps();
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outRoot = path.join(root, 'dist');
const SOURCE_DIRS = ['apps', 'libs', 'tools', 'bench'];
const SKIP = /(\.spec|\.int-spec|\.e2e-spec|\.d)\.ts$/;
const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));

function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'public' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.ts') && !SKIP.test(entry.name)) yield full;
  }
}

async function compile(file) {
  const rel = path.relative(root, file);
  const outFile = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
  const srcStat = fs.statSync(file);
  if (fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs >= srcStat.mtimeMs) return false;
  const out = await swc.transformFile(file, {
    filename: file,
    sourceMaps: 'inline',
    module: { type: 'commonjs', strictMode: true },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
      baseUrl: root,
      paths: tsconfig.compilerOptions.paths,
    },
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, out.code);
  return true;
}

async function main() {
  const started = Date.now();
  const files = SOURCE_DIRS.flatMap((d) => [...walk(path.join(root, d))]);
  const results = await Promise.all(files.map(compile));
  const built = results.filter(Boolean).length;
  if (process.env.SURGE_BUILD_QUIET !== '1') {
    process.stderr.write(`surge: built ${built}/${files.length} files in ${Date.now() - started} ms\n`);
  }
  const thenAt = process.argv.indexOf('--then');
  if (thenAt > 0) {
    const [entry, ...args] = process.argv.slice(thenAt + 1);
    process.argv = [process.argv[0], path.join(root, entry), ...args];
    require(path.join(root, entry));
  }
}

main().catch((err) => {
  process.stderr.write(`surge: build failed: ${err.stack || err}\n`);
  process.exit(1);
});
