import type { PlanVerification } from '@surge/contracts';
import { BEFORE_PREFIX, evaluateExpression, type ThresholdRule } from '@surge/policy';
import type { PlanRun } from './plan-state';

/** The metrics a verification reads as they were when the run started (`before_x` reads x then). */
export function snapshotFor(rule: ThresholdRule, metric: (name: string) => number | undefined) {
  const names = rule.verify?.expression.metrics.filter((name) => name.startsWith(BEFORE_PREFIX)) ?? [];
  if (!names.length) return undefined;
  const snapshot: Record<string, number> = {};
  for (const name of names) {
    const value = metric(name.slice(BEFORE_PREFIX.length));
    if (value !== undefined) snapshot[name] = value;
  }
  return snapshot;
}

/** Once the last step has its result: the check is due `within` after it. */
export function startVerification(rule: ThresholdRule, run: PlanRun, now: number): void {
  if (rule.verify) run.verification = { dueAt: now + rule.verify.withinSeconds * 1000, status: 'pending' };
}

/**
 * The check, once due: the expression over the metrics now and the snapshot. A metric without a fresh sample
 * (or a `before_` value never seen) cannot vouch for the change, so the check fails rather than passes.
 */
export function judgeVerification(
  rule: ThresholdRule,
  run: PlanRun,
  now: number,
  metric: (name: string) => number | undefined,
): 'pending' | 'passed' | 'failed' {
  const check = run.verification;
  if (!rule.verify || !check || check.status !== 'pending') return check?.status ?? 'passed';
  if (now < check.dueAt) return 'pending';
  const read = (name: string) => (name.startsWith(BEFORE_PREFIX) ? run.snapshot?.[name] : metric(name));
  const value = evaluateExpression(rule.verify.expression.ast, read);
  const values = rule.verify.expression.metrics.map((name) => `${name} ${read(name) ?? 'missing'}`).join(', ');
  check.status = value === undefined || !value ? 'failed' : 'passed';
  check.checkedAt = now;
  check.after = {};
  for (const name of rule.verify.expression.metrics) {
    const seen = name.startsWith(BEFORE_PREFIX) ? undefined : metric(name);
    if (seen !== undefined) check.after[name] = seen;
  }
  check.detail = `${rule.verify.expression.source}: ${value === undefined ? 'cannot be judged' : String(Boolean(value))} (${values})`;
  return check.status;
}

/** The judged verification as the audit trail carries it: the expression, the snapshot and the figures checked. */
export function verificationRecord(rule: ThresholdRule, run: PlanRun): PlanVerification | undefined {
  const check = run.verification;
  if (!rule.verify || !check || check.status === 'pending' || check.checkedAt === undefined) return undefined;
  return {
    status: check.status,
    expr: rule.verify.expression.source,
    checkedAt: check.checkedAt,
    before: { ...run.snapshot },
    after: { ...check.after },
  };
}
