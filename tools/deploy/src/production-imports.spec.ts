import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from './repo-files';
import { testOnlyFilesLoaded } from './runtime-imports.check';

// Every app entry point, services and demo apps alike: none of them runs a stand-in in production.
const entries = readdirSync(repoPath('apps'))
  .map((app) => `apps/${app}/src/main.ts`)
  .filter((main) => existsSync(repoPath(main)));

describe('production code loads no test helper', () => {
  it('finds the apps to check', () => {
    expect(entries.length).toBeGreaterThanOrEqual(8);
  });

  it.each(entries)('%s loads no testing/ folder and no harness', (main) => {
    expect(testOnlyFilesLoaded(repoPath(main))).toEqual([]);
  });

  it('notices a test helper in a graph', () => {
    expect(testOnlyFilesLoaded(repoPath('bench/src/executors.bench.ts'))).toContain(
      'libs/executor-framework/src/testing/kube-api.stand-in.ts',
    );
  });
});
