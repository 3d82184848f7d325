import { describe, expect, it } from 'vitest';
import { readRepoFile, readYaml } from './repo-files';

const dashboard = JSON.parse(readRepoFile('deploy/grafana/dashboards/surge.json'));
const panels: any[] = dashboard.panels.filter((p: any) => p.type !== 'row');
const exprs = (title: string): string[] => {
  const panel = panels.find((p) => p.title === title);
  if (!panel) throw new Error(`no panel titled ${title}`);
  return panel.targets.map((t: any) => t.expr);
};

/** The metric names the services export; the dashboard and the alerts read nothing else. */
const SURGE_METRICS = [
  'surge_decisions_total',
  'surge_actions_total',
  'surge_reaction_seconds_bucket',
  'surge_queue_waiting',
  'surge_queue_admissions_total',
  'surge_consumer_lag',
  'surge_dead_letters_total',
  'surge_target_current',
  'surge_target_desired',
  'surge_target_metric_value',
  'surge_target_metric_target',
  'surge_target_metric_recommendation',
];

describe('Grafana dashboard (deploy/grafana/dashboards/surge.json)', () => {
  it('is a provisionable dashboard with unique panel ids that do not overlap', () => {
    expect(dashboard).toMatchObject({ uid: 'surge-overview', title: 'Surge', editable: false });
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it.each([
    ['Decisions by direction', 'surge_decisions_total', 'direction'],
    ['Decisions by target and severity', 'surge_decisions_total', 'severity'],
    ['Actions by status', 'surge_actions_total', 'status'],
    ['Reaction latency', 'surge_reaction_seconds_bucket', 'le'],
    ['Queue depth', 'surge_queue_waiting', 'room'],
    ['Admission rate', 'surge_queue_admissions_total', 'room'],
    ['Consumer lag', 'surge_consumer_lag', 'topic'],
    ['Current vs desired by target', 'surge_target_current', 'setting'],
    ['Current vs desired by target', 'surge_target_desired', 'target'],
    ['Metric value vs target by target', 'surge_target_metric_value', 'metric'],
    ['Metric value vs target by target', 'surge_target_metric_target', 'metric'],
    ['Recommendation by target and metric', 'surge_target_metric_recommendation', 'target'],
  ])('shows %s from %s by %s', (title, metric, label) => {
    const queries = exprs(title);
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.some((query) => query.includes(metric))).toBe(true);
    for (const query of queries) {
      expect(query).toMatch(new RegExp(`by \\([^)]*\\b${label}\\b`));
    }
  });

  it('queries only Surge metrics, with balanced brackets, through the provisioned datasource', () => {
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const { expr } of panel.targets) {
        const metrics = expr.match(/\bsurge_[a-z_]+/g) ?? [];
        expect(metrics.length, expr).toBeGreaterThan(0);
        for (const metric of metrics) expect(SURGE_METRICS, expr).toContain(metric);
        for (const [open, close] of ['()', '{}', '[]'])
          expect(expr.split(open!).length, expr).toBe(expr.split(close!).length);
        if (/_total\b/.test(expr)) expect(expr, 'counters are read as rates').toMatch(/\b(rate|increase)\(/);
      }
    }
    const datasource = dashboard.templating.list.find((v: any) => v.type === 'datasource');
    const provisioned = readYaml<any>('deploy/grafana/provisioning/datasources/prometheus.yml').datasources[0];
    expect(datasource.current.value).toBe(provisioned.uid);
  });

  it("has a row per policy target, from the engine's per-target series, the target picker among them", () => {
    const row = dashboard.panels.find((p: any) => p.type === 'row' && p.title === 'Per target');
    expect(row).toBeDefined();
    const below = panels.filter((p) => p.gridPos.y > row.gridPos.y);
    expect(below.length).toBeGreaterThan(0);
    for (const panel of below) for (const { expr } of panel.targets) expect(expr).toMatch(/^max by \(target, /);
    const picker = dashboard.templating.list.find((v: any) => v.name === 'target');
    expect(picker.definition).toBe('label_values(surge_target_current, target)');
  });

  it('is loaded by the provisioning config from the folder compose mounts', () => {
    const provider = readYaml<any>('deploy/grafana/provisioning/dashboards/surge.yml').providers[0];
    const compose = readYaml<any>('docker-compose.yml');
    expect(compose.services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${provider.options.path}:ro`);
  });
});
