import { z } from 'zod';
import { targetRef } from './common.schema';

/** One policy the rules engine has in force, as `GET /policies` lists it. */
export const runningPolicy = z.object({
  name: z.string().min(1),
  target: targetRef,
  setting: z.string().min(1),
  /** The hash of the normalized policy: equal versions are equal policies. */
  version: z.string().min(1),
  /** The file it was loaded from, on the engine's file system. */
  source: z.string().optional(),
});
export type RunningPolicy = z.output<typeof runningPolicy>;

export const runningPolicyList = z.object({ policies: z.array(runningPolicy) });
export type RunningPolicyList = z.output<typeof runningPolicyList>;

/**
 * `GET /policies/:name`: the listing's fields and the normalized policy itself (defaults filled, durations in
 * seconds), without its version and source, so a client can diff it field by field against a file it parsed.
 */
export const runningPolicyDetail = runningPolicy.extend({
  normalized: z.record(z.string(), z.unknown()),
});
export type RunningPolicyDetail = z.output<typeof runningPolicyDetail>;
