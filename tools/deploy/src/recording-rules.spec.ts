import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoFile, readYaml, repoPath } from './repo-files';
import { promtool, run } from './tool-locator';

const RULES = 'deploy/prometheus/surge-recording-rules.yml';
const REMOTE_WRITE = 'deploy/prometheus/remote-write.yml';
/** The metrics the runbooks' policies read that a Prometheus computes from histograms, counters and gauges. */
const POLICY_METRICS = ['http_p95_ms', 'http_error_rate_percent', 'cpu_utilization', 'queue_depth'];

const recorded = readYaml<any>(RULES).groups.flatMap((g: any) => g.rules) as { record: string; expr: string }[];
const relabels = readYaml<any>(REMOTE_WRITE).remote_write[0].write_relabel_configs as any[];

/** A series name through write_relabel_configs' keep and __name__ rewrites, as Prometheus applies them (anchored). */
function sentAs(name: string): string | null {
  let current = name;
  for (const step of relabels) {
    if (step.source_labels?.[0] !== '__name__') continue;
    const match = new RegExp(`^(?:${step.regex})$`).exec(current);
    if (step.action === 'keep' && !match) return null;
    if (step.target_label === '__name__' && match)
      current = step.replacement.replace(/\$(\d)/g, (_: string, i: string) => match[Number(i)]!);
  }
  return current;
}

/** Every metric an example or shipped policy reads. */
function metricsPoliciesRead(): Set<string> {
  const read = new Set<string>();
  for (const dir of ['examples/policies', 'k8s/base/config/policies'])
    for (const file of readdirSync(repoPath(dir)).filter((f) => f.endsWith('.yaml')))
      for (const [, metric] of readRepoFile(`${dir}/${file}`).matchAll(/\bmetric: ([a-z][a-z0-9_]*)/g))
        read.add(metric!);
  return read;
}

describe('the recording rules for the metrics policies read (deploy/prometheus)', () => {
  const bin = promtool();

  it('promtool accepts the recording rules', () => {
    expect(run(bin, ['check', 'rules', repoPath(RULES)])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('computes each metric per Deployment, as its promtool unit tests expect', () => {
    expect(run(bin, ['test', 'rules', repoPath('deploy/prometheus/surge-recording-rules.test.yml')])).toContain(
      'SUCCESS',
    );
    const tested = readYaml<any>('deploy/prometheus/surge-recording-rules.test.yml').tests.flatMap((t: any) =>
      t.promql_expr_test.filter((e: any) => e.exp_samples.length > 0).map((e: any) => e.expr),
    );
    expect(new Set(tested)).toEqual(new Set(POLICY_METRICS.map((m) => `surge:${m}`)));
  });

  it('promtool accepts the remote_write example, which loads the rules', () => {
    expect(run(bin, ['check', 'config', '--syntax-only', repoPath(REMOTE_WRITE)])).toMatch(/SUCCESS/);
    expect(readYaml<any>(REMOTE_WRITE).rule_files).toEqual(['surge-recording-rules.yml']);
  });

  it('sends only the recorded series, under the very names policies read', () => {
    const sent = recorded.map((r) => sentAs(r.record)).filter((name) => name !== null);
    expect(sent.sort()).toEqual([...POLICY_METRICS].sort());
    expect(sentAs('http_request_duration_seconds_bucket')).toBeNull();
    const read = metricsPoliciesRead();
    for (const metric of POLICY_METRICS) expect(read, `a policy reads ${metric}`).toContain(metric);
  });

  it("names each series' target by the surge_target label, the first label rule ingest tries by default", () => {
    for (const rule of recorded.filter((r) => r.record.startsWith('surge:')))
      expect(rule.expr.replace(/\s+/g, ' '), rule.record).toContain('"surge_target", "/", "namespace", "deployment" )');
    const ingestDefault = /SURGE_REMOTE_WRITE_TARGET_LABELS: z[\s\S]*?\.default\('([^']+)'\)/.exec(
      readRepoFile('apps/metrics-ingest/src/config/ingest.config.ts'),
    )?.[1];
    expect(ingestDefault?.split(',')[0]).toBe('surge_target');
    const kept = relabels.find((step) => step.action === 'labelkeep');
    expect(kept.regex.split('|').sort()).toEqual(['__name__', 'surge_target']);
  });
});
