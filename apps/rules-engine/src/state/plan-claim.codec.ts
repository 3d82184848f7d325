import type { PlanClaim } from '@surge/decision-core';

/**
 * A running plan's claim as kept in Redis, one hash field per owner (`policy/rule@policy-target`) in the claimed
 * setting's hash, so every policy sees the holds others' plans put on its setting. Written only by the owner's
 * target, each write with an expiry (wall clock) its next commit pushes on: an owner that stops writing (removed,
 * crashed for good) stops holding.
 */
export type StoredClaim = PlanClaim & { expiresAt: number };

export function encodePlanClaim(claim: PlanClaim, expiresAt: number): string {
  return JSON.stringify({ ...claim, expiresAt });
}

/**
 * A field this engine cannot read holds nothing: its owner's next commit rewrites or deletes it. One without an
 * expiry (written before claims had one) or past it holds nothing either, and is `expired`, to be pruned.
 */
export function decodePlanClaim(raw: string, now: number): StoredClaim | 'expired' | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const field = value as Record<string, unknown>;
  const { setting, direction, owner, policyTarget, runId, expiresAt } = field;
  const ref = field.target as { kind?: unknown; id?: unknown } | null;
  if (typeof ref?.kind !== 'string' || typeof ref.id !== 'string' || typeof setting !== 'string') return undefined;
  if (typeof field.value !== 'number' || (direction !== 'floor' && direction !== 'cap')) return undefined;
  if (typeof owner !== 'string' || typeof runId !== 'string') return undefined;
  if (typeof expiresAt !== 'number' || typeof policyTarget !== 'string' || expiresAt <= now) return 'expired';
  const target = { kind: ref.kind, id: ref.id };
  return { target, setting, value: field.value, direction, owner, policyTarget, runId, expiresAt };
}
