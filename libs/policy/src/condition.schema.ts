import { z } from 'zod';
import { compileExpression } from './expression';
import type { ComparisonOp, Condition } from './policy.types';

const OPS: ComparisonOp[] = ['>', '>=', '<', '<=', '==', '!='];
const METRIC = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

const fail = (ctx: Ctx, path: Path, message: string): undefined => {
  ctx.addIssue({ code: 'custom', message, path });
  return undefined;
};

/**
 * `when` is a small recursive language ({metric, op, value} | {all} | {any} | {expr}); it is parsed by hand so
 * each error says which form was meant and which field is wrong, instead of a union's bare "Invalid input".
 * `for` is read separately: it applies to the whole condition.
 */
export function parseCondition(input: unknown, ctx: Ctx, path: Path, allowFor: boolean): Condition | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(
      ctx,
      path,
      'a condition is an object: {metric, op, value}, {all: [...]}, {any: [...]} or {expr: "..."}',
    );
  }
  const record = input as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => !(allowFor && key === 'for'));
  if (!allowFor && 'for' in record) {
    return fail(ctx, [...path, 'for'], "`for` applies to the whole condition: put it on the rule's `when`");
  }
  if ('all' in record || 'any' in record) {
    const mode = 'all' in record ? 'all' : 'any';
    const extra = keys.filter((key) => key !== mode);
    if (extra.length) return fail(ctx, path, `unexpected key(s) ${extra.join(', ')} beside "${mode}"`);
    const list = record[mode];
    if (!Array.isArray(list) || list.length === 0)
      return fail(ctx, [...path, mode], 'must be a non-empty list of conditions');
    const conditions = list.map((item, index) => parseCondition(item, ctx, [...path, mode, index], false));
    if (conditions.some((c) => c === undefined)) return undefined;
    return { kind: mode, conditions: conditions as Condition[] };
  }
  if ('expr' in record) {
    const extra = keys.filter((key) => key !== 'expr');
    if (extra.length) return fail(ctx, path, `unexpected key(s) ${extra.join(', ')} beside "expr"`);
    if (typeof record.expr !== 'string' || !record.expr.trim())
      return fail(ctx, [...path, 'expr'], 'must be a formula string');
    try {
      return { kind: 'expr', expression: compileExpression(record.expr) };
    } catch (error) {
      return fail(ctx, [...path, 'expr'], (error as Error).message);
    }
  }
  return parseThreshold(record, keys, ctx, path);
}

function parseThreshold(record: Record<string, unknown>, keys: string[], ctx: Ctx, path: Path): Condition | undefined {
  const extra = keys.filter((key) => !['metric', 'op', 'value'].includes(key));
  if (extra.length) return fail(ctx, path, `unexpected key(s) ${extra.join(', ')}: a threshold is {metric, op, value}`);
  let ok = true;
  if (typeof record.metric !== 'string' || !METRIC.test(record.metric)) {
    ok = !!fail(ctx, [...path, 'metric'], 'must be a metric name ([a-zA-Z_][a-zA-Z0-9_]*)');
  }
  if (!OPS.includes(record.op as ComparisonOp)) ok = !!fail(ctx, [...path, 'op'], `must be one of ${OPS.join(' ')}`);
  if (typeof record.value !== 'number' || !Number.isFinite(record.value))
    ok = !!fail(ctx, [...path, 'value'], 'must be a number');
  if (!ok) return undefined;
  return {
    kind: 'threshold',
    metric: record.metric as string,
    op: record.op as ComparisonOp,
    value: record.value as number,
  };
}

/** Every metric a condition reads. */
export function conditionMetrics(condition: Condition): string[] {
  switch (condition.kind) {
    case 'threshold':
      return [condition.metric];
    case 'expr':
      return condition.expression.metrics;
    default:
      return [...new Set(condition.conditions.flatMap(conditionMetrics))].sort();
  }
}
