import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath, SURGE_SERVICES } from './repo-files';
import { runtimePackages } from './runtime-imports.check';

const manifest = JSON.parse(readFileSync(repoPath('package.json'), 'utf8'));
const production = new Set(Object.keys(manifest.dependencies));
const built = Object.keys(SURGE_SERVICES).filter((app) => existsSync(repoPath(`apps/${app}/src/main.ts`)));

describe('runtime image dependencies (npm ci --omit=dev)', () => {
  it('finds the services to check', () => {
    expect(built.length).toBeGreaterThanOrEqual(5);
  });

  it.each(built)('%s loads only production dependencies', (app) => {
    const packages = runtimePackages(repoPath(`apps/${app}/src/main.ts`));
    expect(packages.size).toBeGreaterThan(0);
    const devOnly = [...packages]
      .filter(([name]) => !production.has(name))
      .map(([name, file]) => `${name} (imported by ${file})`);
    expect(devOnly).toEqual([]);
  });

  it('notices a dev-only import', () => {
    const harness = runtimePackages(repoPath('libs/harness/src/index.ts'));
    expect([...harness.keys()].some((name) => !production.has(name))).toBe(true);
  });
});
