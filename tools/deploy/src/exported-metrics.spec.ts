import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepoFile, repoPath } from './repo-files';

/** Every metric name registered by the services' own code (`name: 'surge_…'` in a prom-client constructor). */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const root of ['apps', 'libs']) {
    const files = readdirSync(repoPath(root), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file) && !file.includes('node_modules'),
    );
    for (const file of files) {
      const text = readFileSync(path.join(repoPath(root), file), 'utf8');
      for (const [, name] of text.matchAll(/\bname: '(surge_[a-z_]+)'/g)) names.add(name!);
    }
  }
  return names;
}

/** A histogram is read through its _bucket, _count and _sum series. */
const baseName = (series: string) => series.replace(/_(bucket|count|sum)$/, '');

const readMetrics = (text: string) =>
  new Set([...text.matchAll(/\bsurge_[a-z_]+/g)].map(([series]) => baseName(series)));

describe('the dashboard and the alerts read only metrics the services export', () => {
  const exported = exportedMetricNames();

  it.each([
    [
      'deploy/grafana/dashboards/surge.json',
      (text: string) =>
        JSON.parse(text)
          .panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr))
          .join('\n'),
    ],
    ['deploy/prometheus/rules/surge.rules.yml', (text: string) => text],
    ['k8s/base/prometheus-rule.yaml', (text: string) => text],
  ])('%s', (file, queries) => {
    const read = readMetrics(queries(readRepoFile(file)));
    expect(read.size).toBeGreaterThan(0);
    for (const metric of read) expect(exported, `${metric} in ${file}`).toContain(metric);
  });
});
