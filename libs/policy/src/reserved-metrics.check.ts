import { isReservedMetric } from '@surge/contracts';
import type { Condition, MetricTarget } from './policy.types';

type Path = (string | number)[];

/**
 * A metric or rule condition on a reserved setting name other than the policy's own setting. Those names are
 * targets' observed state: the rules engine drops them from the workload samples (and `surgectl simulate` with
 * it), so such a metric or rule could never see a value. The policy's own setting is read from its executor.
 */
export function checkReservedMetrics(
  setting: string,
  metrics: readonly MetricTarget[],
  rules: readonly ({ when: Condition } | undefined)[],
  at: (path: Path, message: string) => void,
): void {
  const refuse = (path: Path, metric: string) => {
    if (metric === setting || !isReservedMetric(metric)) return;
    at(
      path,
      `"${metric}" is a reserved setting name, a target's observed state rather than a workload metric: ` +
        `a policy reads no reserved name but its own setting ("${setting}")`,
    );
  };
  metrics.forEach((metric, index) => refuse(['metrics', index, 'metric'], metric.metric));
  rules.forEach((rule, index) => rule && visit(rule.when, ['rules', index, 'when'], refuse));
}

function visit(condition: Condition, path: Path, refuse: (path: Path, metric: string) => void): void {
  if (condition.kind === 'threshold') refuse([...path, 'metric'], condition.metric);
  else if (condition.kind === 'expr')
    for (const metric of condition.expression.metrics) refuse([...path, 'expr'], metric);
  else condition.conditions.forEach((inner, index) => visit(inner, [...path, condition.kind, index], refuse));
}
