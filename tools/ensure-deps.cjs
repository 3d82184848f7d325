'use strict';
/**
 * Installs the workspace's dependencies (`npm ci`) when node_modules is missing or older than package-lock.json,
 * so that `npm start` and `npm test` work on a fresh clone without a prior `npm ci`. Plain CommonJS with no
 * dependencies: it runs before any exist.
 *
 * It runs npm under the Node that runs it (Node 24 under tools/node24.cjs), which is what keeps npm's EBADENGINE
 * warnings away: npm checks every package's `engines` against the Node that runs npm itself, and short of
 * `--force` (which warns in turn) no setting of npm 11 changes that: engine-strict only makes them errors.
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lockFile = path.join(root, 'package-lock.json');
// npm writes its hidden lock file last, so its presence means an install (ours or a plain `npm ci`) finished.
const installed = path.join(root, 'node_modules', '.package-lock.json');
// Inside node_modules, so that any reinstall (npm ci starts by removing the folder) forgets it.
const stamp = path.join(root, 'node_modules', '.surge-lock-sha256');

function lockHash() {
  return crypto.createHash('sha256').update(fs.readFileSync(lockFile)).digest('hex');
}

function readStamp() {
  try {
    return fs.readFileSync(stamp, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Why node_modules must be installed again, or null when it matches package-lock.json. */
function staleReason() {
  if (!fs.existsSync(installed)) return 'node_modules is missing';
  const hash = lockHash();
  if (fs.statSync(installed).mtimeMs >= fs.statSync(lockFile).mtimeMs) {
    // Remembered so that a checkout rewriting the same lock file later does not cost a reinstall.
    if (readStamp() !== hash) fs.writeFileSync(stamp, `${hash}\n`);
    return null;
  }
  return readStamp() === hash ? null : 'node_modules is older than package-lock.json';
}

/** npm's own entry point, so that it runs under this Node rather than whichever `node` its shebang finds. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli) && fs.existsSync(cli)) return [process.execPath, [cli]];
  return ['npm', []];
}

function ensureDeps() {
  const reason = staleReason();
  if (!reason) return;
  process.stderr.write(`surge: ${reason}; installing the dependencies (npm ci) under Node ${process.versions.node}\n`);
  const [cmd, prefix] = npmCommand();
  // npm's output goes to stderr: the command's stdout stays its own (`npm run docs:schemas > file`).
  const res = spawnSync(cmd, [...prefix, 'ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
    // Install scripts (nx, @swc/core) run under this Node too.
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
  });
  if (res.status !== 0 || !fs.existsSync(installed)) {
    process.stderr.write(
      `surge: npm ci failed${res.error ? ` (${res.error.message})` : ''}; run it yourself to see why\n`,
    );
    process.exit(res.status || 1);
  }
  fs.writeFileSync(stamp, `${lockHash()}\n`);
}

module.exports = { ensureDeps };
