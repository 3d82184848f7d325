import type { ScaleDecision } from '@surge/contracts';
import { applyBounds } from './bounds.policy';
import { boundsFor, type TargetCatalog } from './target-catalog';
import type { TargetEntry } from './targets-file.schema';

export interface GuardrailState {
  /** A global pause: nothing is applied, every decision is reported rejected. */
  paused: boolean;
  /** A global dry run on top of each decision's own flag. */
  dryRun: boolean;
}

export type GuardrailVerdict =
  | { verdict: 'rejected'; reason: string; target: TargetEntry | null }
  | { verdict: 'dry-run' | 'proceed'; target: TargetEntry; value: number; note: string | null };

/**
 * Every check that needs no I/O, in the order an operator would ask them: is anything allowed at all, do we know
 * this target, may we touch it, and what value is safe. Dry run comes last so a dry-run result shows the value
 * that would really have been applied, bounds included.
 */
export function evaluateGuardrails(
  decision: ScaleDecision,
  catalog: TargetCatalog,
  state: GuardrailState,
): GuardrailVerdict {
  if (state.paused) return { verdict: 'rejected', reason: 'executor is paused', target: null };
  const target = catalog.get(decision.target.id) ?? null;
  if (!target) return { verdict: 'rejected', reason: catalog.unknownTargetReason(decision.target.id), target: null };
  if (target.kind !== decision.target.kind) {
    return {
      verdict: 'rejected',
      reason: `target ${target.id} is a ${target.kind}, not a ${decision.target.kind}`,
      target,
    };
  }
  if (!catalog.namespaceAllowed(target.id)) {
    return { verdict: 'rejected', reason: `namespace of ${target.id} is not in the allowlist`, target };
  }
  if (!target.allowed) return { verdict: 'rejected', reason: `target ${target.id} is not allowed`, target };
  const bounds = boundsFor(target, decision.setting);
  if (!bounds)
    return { verdict: 'rejected', reason: `setting ${decision.setting} has no bounds for ${target.id}`, target };
  const outcome = applyBounds(decision.to, bounds, target.onOutOfBounds);
  if (!outcome.ok) return { verdict: 'rejected', reason: outcome.reason, target };
  const note =
    outcome.clampedFrom === null
      ? null
      : `clamped from ${outcome.clampedFrom} to ${outcome.value} by bounds [${bounds.min}, ${bounds.max}]`;
  const verdict = decision.dryRun || state.dryRun ? 'dry-run' : 'proceed';
  return { verdict, target, value: outcome.value, note };
}
