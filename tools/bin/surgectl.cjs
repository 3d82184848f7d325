#!/usr/bin/env node
'use strict';
/**
 * The `surgectl` bin of the workspace (`npx surgectl …`). It brings the build up to date (SWC, incremental,
 * quiet) and runs dist/tools/surgectl/src/main.js under Node 24, via tools/node24.cjs like every other script.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const node24 = path.join(root, 'tools', 'node24.cjs');
const main = path.join(root, 'dist', 'tools', 'surgectl', 'src', 'main.js');
const env = { ...process.env, SURGE_BUILD_QUIET: '1' };

const build = spawnSync(process.execPath, [node24, 'node', path.join(root, 'tools', 'build.cjs')], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env,
});
if (build.status !== 0 && !fs.existsSync(main)) {
  process.stderr.write('surgectl: the build failed and no previous build exists\n');
  process.exit(build.status || 1);
}
const run = spawnSync(process.execPath, [node24, 'node', main, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
