/**
 * How a Prometheus series becomes a Surge sample: which labels name the target, which one the metric.
 * A rule lists label names; it matches a series only if all of them are present and non-empty, and the
 * target id is their values joined by `/` (so `namespace/deployment` gives the conventional `ns/name` id).
 * Rules are tried in order, most specific first, so an explicit `surge_target` label always wins.
 */
export type TargetRule = readonly string[];

export interface SeriesLabel {
  name: string;
  value: string;
}

export interface MappedSeries {
  target: string;
  metric: string;
  labels: Record<string, string>;
}

export function parseTargetRules(spec: string): TargetRule[] {
  const rules = spec
    .split(',')
    .map((rule) => rule.trim())
    .filter(Boolean)
    .map((rule) => rule.split('/').map((name) => name.trim()));
  if (rules.length === 0) throw new Error('must name at least one label rule, e.g. surge_target,namespace/deployment');
  for (const rule of rules) {
    if (rule.some((name) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))) {
      throw new Error(`"${rule.join('/')}" is not a list of label names joined by "/"`);
    }
  }
  return rules;
}

export class LabelMapping {
  constructor(
    private readonly rules: readonly TargetRule[],
    private readonly metricLabel = '__name__',
  ) {}

  /** Null when no rule matches or the series has no metric name: such series are not meant for Surge. */
  map(seriesLabels: readonly SeriesLabel[]): MappedSeries | null {
    const labels: Record<string, string> = {};
    let metric: string | undefined;
    for (const label of seriesLabels) {
      if (label.name === this.metricLabel) metric = label.value;
      else labels[label.name] = label.value;
    }
    if (!metric) return null;
    const target = this.targetOf(labels);
    return target === null ? null : { target, metric, labels };
  }

  private targetOf(labels: Record<string, string>): string | null {
    for (const rule of this.rules) {
      const values: string[] = [];
      for (const name of rule) {
        const value = labels[name];
        if (!value) break;
        values.push(value);
      }
      if (values.length === rule.length) return values.join('/');
    }
    return null;
  }
}
