import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExecutorTargets } from './executor.config';
import { connectionVariablesOf, loadTargetsFile, resolveTarget } from './targets-file.loader';

describe('targets file loader', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'surge-targets-'));
  const file = (name: string, text: string) => {
    const full = path.join(dir, name);
    writeFileSync(full, text);
    return full;
  };

  it('reads YAML and JSON alike', () => {
    const yaml = loadTargetsFile(
      file(
        't.yaml',
        'namespaces: [shop]\ntargets:\n  - { id: shop/web, kind: Deployment, bounds: { min: 1, max: 5 } }\n',
      ),
    );
    const json = loadTargetsFile(
      file(
        't.json',
        JSON.stringify({
          namespaces: ['shop'],
          targets: [{ id: 'shop/web', kind: 'Deployment', bounds: { min: 1, max: 5 } }],
        }),
      ),
    );
    expect(yaml.get('shop/web')).toEqual(json.get('shop/web'));
    expect(yaml.namespaceAllowed('billing/api')).toBe(false);
  });

  it('names the file and every bad field', () => {
    const bad = file(
      'bad.yaml',
      'targets:\n  - { id: a/b, kind: Deployment, bounds: { min: 5, max: 1 }, connection: { url: x } }\n',
    );
    expect(() => loadTargetsFile(bad)).toThrow(new RegExp(`^Invalid targets file ${bad}: targets\\.0\\.`));
    expect(() => loadTargetsFile(path.join(dir, 'missing.yaml'))).toThrow(/^Cannot read targets file .*missing\.yaml/);
  });

  it('resolves connections from env variables and secret files, failing loudly when absent', () => {
    const catalog = loadTargetsFile(
      file(
        'c.yaml',
        [
          'targets:',
          '  - { id: a/env, kind: K, bounds: { min: 1, max: 2 }, connection: { env: SURGE_TEST_CONN } }',
          `  - { id: a/file, kind: K, bounds: { min: 1, max: 2 }, connection: { secretFile: ${path.join(dir, 'secret')} } }`,
          '  - { id: a/none, kind: K, bounds: { min: 1, max: 2 } }',
        ].join('\n'),
      ),
    );
    writeFileSync(path.join(dir, 'secret'), 'redis://secret:6379\n');
    expect(resolveTarget(catalog.get('a/env')!, { SURGE_TEST_CONN: 'postgres://x' }).connection).toBe('postgres://x');
    expect(() => resolveTarget(catalog.get('a/env')!, {})).toThrow(
      'target a/env: environment variable SURGE_TEST_CONN is not set',
    );
    expect(resolveTarget(catalog.get('a/file')!, {}).connection).toBe('redis://secret:6379');
    expect(resolveTarget(catalog.get('a/none')!, {}).connection).toBeNull();
  });

  const connections = () =>
    file(
      'conn.yaml',
      [
        'targets:',
        '  - { id: a/one, kind: K, bounds: { min: 1, max: 2 }, connection: { env: SURGE_TEST_ONE } }',
        '  - { id: a/two, kind: K, bounds: { min: 1, max: 2 }, connection: { env: SURGE_TEST_TWO } }',
        '  - { id: a/also, kind: K, bounds: { min: 1, max: 2 }, connection: { env: SURGE_TEST_TWO } }',
        `  - { id: a/file, kind: K, bounds: { min: 1, max: 2 }, connection: { secretFile: ${path.join(dir, 'rotated')} } }`,
      ].join('\n'),
    );

  it('captures at boot the variables the targets file names, and only those', () => {
    const env = { SURGE_TEST_ONE: 'redis://one', SURGE_TEST_TWO: 'redis://two', UNRELATED: 'x' };
    const { catalog, connections: captured } = loadExecutorTargets({ SURGE_TARGETS_FILE: connections() }, env);
    expect(captured).toEqual({ SURGE_TEST_ONE: 'redis://one', SURGE_TEST_TWO: 'redis://two' });
    env.SURGE_TEST_ONE = 'redis://changed-later';
    expect(resolveTarget(catalog.get('a/one')!, captured).connection).toBe('redis://one');
  });

  it('stops the boot naming each variable that is not set and the targets that need it', () => {
    expect(() => loadExecutorTargets({ SURGE_TARGETS_FILE: connections() }, { SURGE_TEST_ONE: 'x' })).toThrow(
      'The targets file names environment variables that are not set: SURGE_TEST_TWO (for a/two, a/also)',
    );
    expect(() => connectionVariablesOf(loadTargetsFile(connections()), {})).toThrow(
      /SURGE_TEST_ONE \(for a\/one\); SURGE_TEST_TWO/,
    );
  });

  it('reads a secret file at each use, so a rotated secret is picked up', () => {
    const { catalog, connections: captured } = loadExecutorTargets(
      { SURGE_TARGETS_FILE: connections() },
      { SURGE_TEST_ONE: 'x', SURGE_TEST_TWO: 'y' },
    );
    writeFileSync(path.join(dir, 'rotated'), 'first\n');
    expect(resolveTarget(catalog.get('a/file')!, captured).connection).toBe('first');
    writeFileSync(path.join(dir, 'rotated'), 'second\n');
    expect(resolveTarget(catalog.get('a/file')!, captured).connection).toBe('second');
  });
});
