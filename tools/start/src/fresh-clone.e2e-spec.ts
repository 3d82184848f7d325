import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@surge/harness';
import { afterAll, describe, expect, it } from 'vitest';

const root = repoRoot();
const clone = mkdtempSync(path.join(tmpdir(), 'surge-fresh-clone-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

/**
 * What a fresh clone holds, taken from the working tree rather than from HEAD so that uncommitted changes are
 * tested too: the tracked files and the new ones git does not ignore (so no node_modules, dist/ or .cache/).
 */
function copyWorkingTree(dest: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  for (const file of listed.toString().split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (!existsSync(from) || !statSync(from).isFile()) continue; // deleted in the working tree, or a submodule
    mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    copyFileSync(from, path.join(dest, file));
  }
}

/** `npm <args>` in the clone as a newcomer's shell runs it: none of the npm settings of the run around this test. */
function npm(args: string[]): Promise<{ code: number | null; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST)/i.test(k)));
  return new Promise((resolve, reject) => {
    // This Node 24 as the one tools/node24.cjs provisions: the clone need not download it again.
    const child = spawn('npm', args, { cwd: clone, env: { ...env, SURGE_NODE_BIN: process.execPath } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start and npm test on a fresh clone without npm ci', () => {
  it('installs the dependencies once, under Node 24, then builds and tests', async () => {
    copyWorkingTree(clone);
    expect(existsSync(path.join(clone, 'node_modules'))).toBe(false);
    // The start tool itself is npm-start.e2e-spec's subject: here a stand-in keeps `npm start` from starting
    // the whole pipeline, while the path to it (node24.cjs, the install, the SWC build, --then) stays the real one.
    writeFileSync(path.join(clone, 'tools/start/src/main.ts'), "process.stdout.write('stand-in start ran\\n');\n");

    const start = await npm(['start']);
    expect(start.output).toContain('surge: node_modules is missing; installing the dependencies (npm ci)');
    expect(start.output).not.toContain('EBADENGINE');
    expect(start.output).not.toContain('MODULE_NOT_FOUND');
    expect(start.output).toContain('stand-in start ran');
    expect(start.code).toBe(0);

    // The second command finds the dependencies in place.
    const test = await npm(['test', '--', '--help']);
    expect(test.output).not.toContain('installing the dependencies');
    expect(test.output).toMatch(/vitest/i);
    expect(test.code).toBe(0);
    // npm ci from the registry (or npm's cache): about half a minute here, more on a loaded machine.
  }, 300_000);
});
