import { withDefaults } from './behavior.defaults';
import { parseCondition } from './condition.schema';
import { parseDurationSeconds } from './duration';
import type { PolicySpec } from './policy.schema';
import { SCALE_BY } from './plan.schema';
import { normalizePlan, normalizeRecovery, normalizeVerify } from './normalize-plan';
import { withStepRecoveries } from './plan-recovery';
import { normalizeSchedule } from './normalize-schedule';
import type { MetricTarget, RuleAction, Schedule, ScalingPolicy, ThresholdRule } from './policy.types';
import { policyVersionOf } from './policy-version';
import { checkReservedMetrics } from './reserved-metrics.check';
import type { z } from 'zod';

type Issue = { path: (string | number)[]; message: string };

/** Cross-field checks and normalization that the field schemas alone can't express. */
export function normalizeSpec(
  name: string,
  spec: PolicySpec,
  issues: Issue[],
): Omit<ScalingPolicy, 'version' | 'source'> | undefined {
  const at = (path: (string | number)[], message: string) => issues.push({ path: ['spec', ...path], message });
  const start = issues.length;
  const bounds = normalizeBounds(spec, at);
  const metrics = spec.metrics.map((m, index) => normalizeMetric(m, index, at));
  const rules = spec.rules.map((rule, index) => normalizeRule(rule, index, spec, at));
  const names = new Set<string>();
  spec.rules.forEach((rule, index) => {
    if (names.has(rule.name)) at(['rules', index, 'name'], `duplicate rule name "${rule.name}"`);
    names.add(rule.name);
  });
  checkReservedMetrics(spec.setting, metrics, rules, at);
  const schedules = spec.schedules.map((s, index) =>
    normalizeSchedule(s, index, bounds && { setting: spec.setting, ...bounds }, at),
  );
  if (metrics.length === 0 && rules.length === 0 && schedules.length === 0) {
    at(['metrics'], 'a policy needs at least one metric, rule or schedule');
  }
  if (issues.length > start || !bounds) return undefined;
  return {
    name,
    target: spec.target,
    metricsFrom: spec.metricsFrom.filter((id) => id !== spec.target.id),
    setting: spec.setting,
    ...bounds,
    metrics,
    rules: rules as ThresholdRule[],
    behavior: withDefaults(spec.behavior),
    ...(spec.behavior === undefined ? { legacyBehavior: true as const } : {}),
    schedules: schedules as Schedule[],
    maxStep: spec.maxStep,
    metricStalenessSeconds: spec.metricStaleness,
    paused: spec.paused,
    dryRun: spec.dryRun,
  };
}

/** The longest `window`: the average is kept in at most 120 points (metric-window.ts), so a longer one blurs. */
const MAX_WINDOW_SECONDS = 3600;

function normalizeMetric(
  m: PolicySpec['metrics'][number],
  index: number,
  at: (p: (string | number)[], m: string) => void,
): MetricTarget {
  // `for: 0` would only switch tolerance off, and `window: 0` is the last sample: both are refused as mistakes.
  if (m.for !== undefined && m.for <= 0) at(['metrics', index, 'for'], 'must be positive: leave it out to act at once');
  if (m.window !== undefined && m.window <= 0)
    at(['metrics', index, 'window'], 'must be positive: leave it out to read the last sample');
  if (m.window !== undefined && m.window > MAX_WINDOW_SECONDS)
    at(['metrics', index, 'window'], `must be at most ${MAX_WINDOW_SECONDS}s`);
  return {
    metric: m.metric,
    type: m.target.type,
    target:
      m.target.type === 'Utilization'
        ? m.target.averageUtilization
        : m.target.type === 'Value'
          ? m.target.value
          : m.target.averageValue,
    ...(m.for === undefined ? {} : { forSeconds: m.for }),
    ...(m.window === undefined ? {} : { windowSeconds: m.window }),
  };
}

function normalizeBounds(spec: PolicySpec, at: (p: (string | number)[], m: string) => void) {
  const replicaForm = spec.minReplicas !== undefined || spec.maxReplicas !== undefined;
  const valueForm = spec.min !== undefined || spec.max !== undefined;
  if (replicaForm && valueForm) return void at(['min'], 'use minReplicas/maxReplicas or min/max, not both');
  const min = replicaForm ? (spec.minReplicas ?? 1) : spec.min;
  const max = replicaForm ? spec.maxReplicas : spec.max;
  if (max === undefined) return void at([replicaForm ? 'maxReplicas' : 'max'], 'is required');
  if (min === undefined) return void at(['min'], 'is required');
  if (min > max) return void at([replicaForm ? 'minReplicas' : 'min'], `must not exceed the maximum (${max})`);
  if (replicaForm && spec.setting !== 'replicas')
    at(['setting'], 'minReplicas/maxReplicas scale `replicas`: use min/max for other settings');
  const step = spec.step ?? 1;
  if (replicaForm && step !== 1) at(['step'], 'replicas move by 1');
  return { min, max, step };
}

function normalizeRule(
  rule: PolicySpec['rules'][number],
  index: number,
  spec: PolicySpec,
  at: (p: (string | number)[], m: string) => void,
) {
  const issues: Issue[] = [];
  const ctx = {
    addIssue: (issue: { message?: string; path?: (string | number)[] }) =>
      issues.push({ path: issue.path ?? [], message: issue.message ?? 'invalid' }),
  } as unknown as z.RefinementCtx;
  const when = parseCondition(rule.when, ctx, ['rules', index, 'when'], true);
  for (const issue of issues) at(issue.path, issue.message);
  let forSeconds = rule.for ?? 0;
  const rawFor = (rule.when as Record<string, unknown>).for;
  if (rawFor !== undefined) {
    const parsed = parseForDuration(rawFor);
    if (typeof parsed === 'string') at(['rules', index, 'when', 'for'], parsed);
    else forSeconds = parsed;
  }
  const notify = notifies(rule, index, at);
  const path = ['rules', index];
  if (rule.action !== undefined && rule.plan !== undefined)
    at([...path, 'plan'], 'an action or a plan, not both: a plan step can scale the policy’s own target');
  const plan = rule.plan && normalizePlan(rule.plan, [...path, 'plan'], spec, at);
  if (rule.recovery && !rule.action && !rule.plan)
    at([...path, 'recovery'], 'recovery undoes an action or a plan: this rule only notifies');
  // Its values are the policy's own setting's, an action's or a plan's (whose other steps have their own).
  const recovery = rule.recovery && normalizeRecovery(rule.recovery, [...path, 'recovery'], spec.setting, at);
  const stepped = plan && rule.plan && withStepRecoveries(plan, rule.plan, rule.recovery, spec, path, at);
  const verify = rule.verify && normalizeVerify(rule.verify, [...path, 'verify'], rule.plan !== undefined, at);
  if (!when) return undefined;
  return {
    name: rule.name,
    when,
    forSeconds,
    severity: rule.severity,
    ...(rule.action === undefined ? {} : { action: normalizeAction(rule.action) }),
    ...(stepped ? { plan: stepped } : {}),
    ...(recovery ? { recovery } : {}),
    ...(verify ? { verify } : {}),
    ...(notify ? { notify: true as const } : {}),
    paused: rule.paused,
  };
}

/**
 * A rule without an action (nor a `plan`, the other thing a rule may do) only notifies; one with an action
 * notifies only when it says `notify: true`. `notify: false` on a rule that does nothing else is refused.
 */
function notifies(rule: PolicySpec['rules'][number], index: number, at: (p: (string | number)[], m: string) => void) {
  const acts = rule.action !== undefined || rule.plan !== undefined;
  if (!acts && rule.notify === false)
    at(
      ['rules', index, 'notify'],
      'a rule without an action or plan only notifies: notify: false leaves it doing nothing',
    );
  return rule.notify ?? !acts;
}

function parseForDuration(raw: unknown): number | string {
  if (typeof raw !== 'string' && typeof raw !== 'number') return 'must be a duration such as 30s, 5m or 1h';
  try {
    return parseDurationSeconds(raw);
  } catch (error) {
    return (error as Error).message;
  }
}

function normalizeAction(action: { scaleBy: string | number } | { scaleTo: number }): RuleAction {
  if ('scaleTo' in action) return { kind: 'scaleTo', value: action.scaleTo };
  if (typeof action.scaleBy === 'number') return { kind: 'scaleBy', mode: 'absolute', amount: action.scaleBy };
  const [, sign, digits, percent] = SCALE_BY.exec(action.scaleBy)!;
  const amount = Number(digits) * (sign === '-' ? -1 : 1);
  return { kind: 'scaleBy', mode: percent ? 'percent' : 'absolute', amount };
}

export function finishPolicy(partial: Omit<ScalingPolicy, 'version' | 'source'>, source?: string): ScalingPolicy {
  return { ...partial, version: policyVersionOf(partial), source };
}
