import { readFileSync } from 'node:fs';
import { toFieldIssues } from '@surge/contracts';
import { boundsFor, TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import type { ScalingPolicy } from '@surge/policy';
import { parse } from 'yaml';

/** Rooms are targets the waiting room names from its rooms file and admin API, never from a targets file. */
const ROOM_KIND = 'VirtualQueue';

export interface TargetsCheck {
  /** A policy whose decisions every executor would refuse: its target, kind or setting is not in the file. */
  problems: string[];
  /** Worth knowing, not wrong: bounds the executors will hold the policy to, targets checked elsewhere. */
  notes: string[];
}

/** Reads and validates a targets file as the executors do; throws with each bad field named. */
export function readTargetsFile(path: string): TargetCatalog {
  const result = targetsFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!result.success)
    throw new Error(
      `invalid targets file ${path}: ${toFieldIssues(result.error)
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join('; ')}`,
    );
  return new TargetCatalog(result.data);
}

/**
 * Policies and targets belong together: each policy's target must be in the file, of the same kind, allowed,
 * inside the file's namespaces, with bounds for the policy's setting, or the executors refuse every decision
 * it makes (`rejected: unknown target`, or a setting without bounds). Checked the way the executors check.
 */
export function checkPolicyTargets(policies: readonly ScalingPolicy[], catalog: TargetCatalog): TargetsCheck {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const policy of policies) {
    const { id, kind } = policy.target;
    const at = `${policy.source ?? '?'}: ${policy.name}`;
    if (kind === ROOM_KIND) {
      notes.push(`${at}: room ${id} is named by the waiting room's rooms file, not by a targets file`);
      continue;
    }
    const entry = catalog.get(id);
    if (!entry) {
      problems.push(`${at}: target ${id} is not in the targets file: every executor would refuse its decisions`);
      continue;
    }
    if (entry.kind !== kind) problems.push(`${at}: target ${id} is a ${entry.kind} in the targets file, not a ${kind}`);
    if (!entry.allowed) problems.push(`${at}: target ${id} is not allowed (allowed: false)`);
    if (!catalog.namespaceAllowed(id))
      problems.push(`${at}: target ${id} is outside the file's namespaces [${catalog.file.namespaces!.join(', ')}]`);
    const bounds = boundsFor(entry, policy.setting);
    if (!bounds) {
      problems.push(`${at}: target ${id} has no bounds for ${policy.setting}, so no executor may change it`);
      continue;
    }
    if (policy.min < bounds.min || policy.max > bounds.max)
      notes.push(
        `${at}: ${policy.setting} [${policy.min}, ${policy.max}] is wider than the targets file's ` +
          `[${bounds.min}, ${bounds.max}]; the executors ${entry.onOutOfBounds} to it`,
      );
  }
  return { problems, notes };
}
