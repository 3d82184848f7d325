import type { PlanClaim } from '@surge/decision-core';

/**
 * A running plan's claim as kept in Redis, one hash field per owning `policy/rule` in the claimed setting's hash,
 * so every policy sees the holds others' plans put on its setting. Written only by the owner's target.
 */
export function encodePlanClaim(claim: PlanClaim): string {
  return JSON.stringify(claim);
}

/** A field this engine cannot read holds nothing: its owner's next commit rewrites or deletes it. */
export function decodePlanClaim(raw: string): PlanClaim | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { target, setting, value: held, direction, owner, runId } = value as Record<string, unknown>;
  const ref = target as { kind?: unknown; id?: unknown } | null;
  if (typeof ref?.kind !== 'string' || typeof ref.id !== 'string' || typeof setting !== 'string') return undefined;
  if (typeof held !== 'number' || (direction !== 'floor' && direction !== 'cap')) return undefined;
  if (typeof owner !== 'string' || typeof runId !== 'string') return undefined;
  return { target: { kind: ref.kind, id: ref.id }, setting, value: held, direction, owner, runId };
}
