import type { FieldIssue, MetricSample } from '@surge/contracts';

/** The size limits of one sample; each bounds what a sample can cost the engine's state and every message. */
export interface SampleLimits {
  maxMetricNameLength: number;
  maxLabelNameLength: number;
  maxLabelValueLength: number;
  maxLabelsPerSample: number;
}

/** Every limit a valid-shaped sample exceeds, each naming its field (`samples.3.labels.zone`). */
export function limitIssues(sample: MetricSample, index: number, limits: SampleLimits): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = `samples.${index}`;
  if (sample.metric.length > limits.maxMetricNameLength)
    issues.push({ path: `${at}.metric`, message: `must be at most ${limits.maxMetricNameLength} characters` });
  if (sample.labels === undefined) return issues;
  const names = Object.keys(sample.labels);
  if (names.length > limits.maxLabelsPerSample)
    issues.push({ path: `${at}.labels`, message: `must have at most ${limits.maxLabelsPerSample} labels` });
  for (const name of names.slice(0, limits.maxLabelsPerSample + 1)) {
    if (name.length > limits.maxLabelNameLength)
      issues.push({
        path: `${at}.labels.${name.slice(0, 64)}`,
        message: `label name must be at most ${limits.maxLabelNameLength} characters`,
      });
    else if (sample.labels[name]!.length > limits.maxLabelValueLength)
      issues.push({
        path: `${at}.labels.${name}`,
        message: `label value must be at most ${limits.maxLabelValueLength} characters`,
      });
  }
  return issues;
}
