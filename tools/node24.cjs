#!/usr/bin/env node
'use strict';
/**
 * Runs a command under Node 24 LTS.
 *
 * Surge targets Node 24, but some machines still ship an older Node as the system one. When the running
 * Node is older than 22, this provisions Node 24 from the npm registry's platform package
 * (node-<platform>-<arch>) into .cache/node24 once, then runs the command with that Node first on PATH, so
 * every `node` and `npx` the command spawns is Node 24 as well.
 *
 * Skip it by running under Node 22+ already, or set SURGE_NODE_BIN to a Node binary of your choice.
 */
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MIN_MAJOR = 22;
const WANTED = '24';
const root = path.resolve(__dirname, '..');

function major(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function provision() {
  if (process.env.SURGE_NODE_BIN) return process.env.SURGE_NODE_BIN;
  if (major(process.versions.node) >= MIN_MAJOR) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(root, '.cache', 'node24');
  const bin = path.join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!fs.existsSync(bin)) {
    process.stderr.write(
      `surge: Node ${process.versions.node} is older than ${MIN_MAJOR}; fetching ${pkg}@${WANTED} into .cache/node24\n`,
    );
    fs.mkdirSync(prefix, { recursive: true });
    const res = spawnSync(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--prefix', prefix, `${pkg}@${WANTED}`],
      { stdio: ['ignore', 'inherit', 'inherit'], cwd: prefix },
    );
    if (res.status !== 0 || !fs.existsSync(bin)) {
      process.stderr.write(
        `surge: could not fetch Node 24 (${pkg}@${WANTED}). Install Node 24 yourself or set SURGE_NODE_BIN.\n`,
      );
      process.exit(1);
    }
  }
  return bin;
}

const nodeBin = provision();
const binDir = path.dirname(nodeBin);
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  process.stdout.write(`${nodeBin}\n`);
  process.exit(0);
}
const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, SURGE_NODE_BIN: nodeBin };
const child = spawn(cmd === 'node' ? nodeBin : cmd, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
