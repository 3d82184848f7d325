import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readRepoFile, readYaml, repoPath, SURGE_SERVICES } from './repo-files';
import { promtool, run } from './tool-locator';

const RULES = 'deploy/prometheus/rules/surge.rules.yml';
const REQUIRED_ALERTS = [
  'SurgeConsumerLagHigh',
  'SurgeDeadLetterGrowth',
  'SurgeExecutorFailures',
  'SurgeQueueWaitAboveGoal',
  'SurgePausedTooLong',
];

describe('Prometheus configuration and alerts', () => {
  const bin = promtool();

  it('promtool accepts the alert rules', () => {
    expect(run(bin, ['check', 'rules', repoPath(RULES)])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('promtool accepts the rules as the PrometheusRule ships them', () => {
    const rule = parse(readRepoFile('k8s/base/prometheus-rule.yaml'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'surge-rules-')), 'prometheus-rule.yml');
    writeFileSync(file, stringify(rule.spec));
    expect(run(bin, ['check', 'rules', file])).toMatch(/SUCCESS/);
  });

  it('each required alert fires on the series it watches (promtool test rules)', () => {
    const output = run(bin, ['test', 'rules', repoPath('deploy/prometheus/tests/surge-alerts.test.yml')]);
    expect(output).toContain('SUCCESS');
    const tested = readYaml<any>('deploy/prometheus/tests/surge-alerts.test.yml').tests.flatMap((t: any) =>
      t.alert_rule_test.filter((a: any) => a.exp_alerts.length > 0).map((a: any) => a.alertname),
    );
    expect(new Set(tested)).toEqual(new Set(REQUIRED_ALERTS));
  });

  it('every alert carries a severity, a summary, a description and a hold time', () => {
    const alerts = readYaml<any>(RULES).groups.flatMap((g: any) => g.rules);
    expect(alerts.map((a: any) => a.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    for (const alert of alerts) {
      expect(['warning', 'critical'], alert.alert).toContain(alert.labels.severity);
      expect(Object.keys(alert.annotations).sort(), alert.alert).toEqual(['description', 'summary']);
      expect(alert.for, alert.alert).toMatch(/^\d+m$/);
    }
  });

  it('promtool accepts prometheus.yml, which scrapes every Surge service', () => {
    expect(run(bin, ['check', 'config', '--syntax-only', repoPath('deploy/prometheus/prometheus.yml')])).toMatch(
      /SUCCESS/,
    );
    const config = readYaml<any>('deploy/prometheus/prometheus.yml');
    const targets = config.scrape_configs
      .find((job: any) => job.job_name === 'surge')
      .static_configs.map((c: any) => [c.labels.service, c.targets[0]]);
    expect(Object.fromEntries(targets)).toEqual(
      Object.fromEntries(Object.entries(SURGE_SERVICES).map(([name, port]) => [name, `${name}:${port}`])),
    );
  });
});
