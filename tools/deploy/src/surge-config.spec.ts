import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoFile, repoPath } from './repo-files';
import { checkSurgeConfig } from './surge-config.check';

const policiesIn = (dir: string) =>
  readdirSync(repoPath(dir))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => ({ file, text: readRepoFile(`${dir}/${file}`) }));

describe('shipped policies and targets', () => {
  it('the compose deployment boots with its policies and targets', () => {
    expect(
      checkSurgeConfig(policiesIn('deploy/compose/policies'), readRepoFile('deploy/compose/targets.yaml')),
    ).toEqual([]);
  });

  it('the Kubernetes base boots with its policies and targets', () => {
    expect(
      checkSurgeConfig(policiesIn('k8s/base/config/policies'), readRepoFile('k8s/base/config/targets.yaml')),
    ).toEqual([]);
  });

  it('names a policy whose target the executors do not know', () => {
    const policies = policiesIn('deploy/compose/policies');
    const onlyRedis = 'targets:\n  - { id: cache/redis, kind: RedisCache, bounds: { min: 1, max: 2 } }\n';
    expect(checkSurgeConfig(policies, onlyRedis)).toEqual([
      expect.stringContaining('target db/surge is not in the targets file'),
    ]);
  });

  it('names a kind mismatch and a broken policy', () => {
    const policies = policiesIn('deploy/compose/policies');
    const wrongKind = readRepoFile('deploy/compose/targets.yaml').replace('kind: RedisCache', 'kind: Deployment');
    expect(checkSurgeConfig(policies, wrongKind)).toEqual([
      expect.stringContaining('is a Deployment, not a RedisCache'),
    ]);
    const broken = [
      ...policies,
      { file: 'bad.yaml', text: 'apiVersion: surge.dev/v1\nkind: ScalingPolicy\nmetadata: { name: bad }\nspec: {}\n' },
    ];
    expect(
      checkSurgeConfig(broken, readRepoFile('deploy/compose/targets.yaml')).some((p) =>
        p.startsWith('bad.yaml spec.target'),
      ),
    ).toBe(true);
  });
});
