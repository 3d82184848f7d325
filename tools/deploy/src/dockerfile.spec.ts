import { describe, expect, it } from 'vitest';
import { lintDockerfile } from './dockerfile.lint';
import { readRepoFile } from './repo-files';

const GOOD = [
  'ARG NODE_IMAGE=node:24-bookworm-slim',
  'FROM ${NODE_IMAGE} AS builder',
  'RUN npm ci',
  'FROM ${NODE_IMAGE} AS runtime',
  'RUN npm ci --omit=dev',
  'COPY --from=builder /stage/ ./',
  'USER node',
  'HEALTHCHECK CMD ["node", "healthcheck.cjs"]',
  'CMD ["node", "main.js"]',
].join('\n');

describe('Dockerfile', () => {
  it('passes dockerfile-utils and the project rules with no finding', () => {
    expect(lintDockerfile(readRepoFile('Dockerfile'))).toEqual([]);
  });

  it('builds any service by name and hands PID 1 to Node', () => {
    const text = readRepoFile('Dockerfile');
    expect(text).toMatch(/^ARG APP$/m);
    expect(text).toContain('dist/apps/${APP}/src/main.js');
    expect(text).toMatch(/exec node dist\/apps\/\$\{SURGE_APP\}\/src\/main\.js/);
  });

  it('keeps local state and dependencies out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['.git', '**/node_modules', 'dist', '.env', '.cache']) expect(ignored).toContain(entry);
  });

  it('accepts a minimal good file, so the rules below are what fail', () => {
    expect(lintDockerfile(GOOD)).toEqual([]);
  });

  it.each([
    ['root runtime', GOOD.replace('USER node', 'USER root'), 'non-root'],
    ['no USER', GOOD.replace('USER node\n', ''), 'non-root'],
    ['no HEALTHCHECK', GOOD.replace(/HEALTHCHECK.*\n/, ''), 'healthcheck'],
    ['dev dependencies at runtime', GOOD.replace('npm ci --omit=dev', 'npm ci'), 'production-deps'],
    ['latest base image', GOOD.replace('node:24-bookworm-slim', 'node:latest'), 'pinned-base-image'],
    ['untagged base image', GOOD.replace('node:24-bookworm-slim', 'node'), 'pinned-base-image'],
    ['shell-form CMD', GOOD.replace('CMD ["node", "main.js"]', 'CMD node main.js'), 'exec-form'],
    ['ADD of a local file', GOOD.replace('RUN npm ci\n', 'ADD . .\nRUN npm ci\n'), 'copy-not-add'],
    ['single stage', GOOD.split('\n').slice(3).join('\n').replace('${NODE_IMAGE}', 'node:24-slim'), 'multi-stage'],
    ['unknown instruction', `${GOOD}\nCOPYY a b`, 'dockerfile-utils:'],
    ['two CMDs', `${GOOD}\nCMD ["node", "other.js"]`, 'dockerfile-utils:'],
  ])('flags %s', (_name, text, rule) => {
    const rules = lintDockerfile(text).map((finding) => finding.rule);
    expect(rules.some((found) => found.startsWith(rule))).toBe(true);
  });
});
