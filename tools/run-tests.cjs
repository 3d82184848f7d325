#!/usr/bin/env node
'use strict';
/**
 * `npm test`: every tier (unit, integration against the real services, end to end) in one vitest run.
 * The integration and e2e tiers bring up the harness's Kafka, Redis, PostgreSQL and PgBouncer themselves
 * (libs/harness/src/vitest.global-setup.ts, which also compiles the workspace for the tests that run services
 * from dist/), or use those given by KAFKA_BROKERS, REDIS_URL and DATABASE_URL.
 * Ends with one line, `N passed, N failed`, read from vitest's JSON report rather than scraped from its output.
 * Extra arguments go to vitest, e.g. `npm test -- --project unit`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

require('./ensure-deps.cjs').ensureDeps();

const root = path.resolve(__dirname, '..');
const report = path.join(root, 'test-artifacts', 'vitest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });

const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = [
  vitest,
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
});

let passed = 0;
let failed = 0;
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + countCrashedFiles(json);
}
// A run that crashed before reporting has failed, whatever it counted.
if (run.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);

/** A file that failed without a failing test (an import error, a failing hook) counts as one failure. */
function countCrashedFiles(json) {
  return (json.testResults ?? []).filter(
    (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
}
