import { z } from 'zod';
import { finiteNumber, metricName, targetRef } from './common.schema';

export const OBSERVED_STATE_SCHEMA_VERSION = 1;

/**
 * What an executor read from a target it owns: the values of its settings at `observedAt`. The only channel by
 * which the rules engine learns a target's current value; keyed by target id on its topic, so one target's
 * observations stay in order. `decisionId` marks the read-back right after that decision was applied.
 */
export const observedState = z.object({
  schemaVersion: z.literal(OBSERVED_STATE_SCHEMA_VERSION),
  target: targetRef,
  executor: z.string().min(1),
  settings: z
    .record(metricName, finiteNumber)
    .refine((settings) => Object.keys(settings).length > 0, 'must report at least one setting'),
  /** Epoch ms, the executor's clock when it read the target: later observations win, older ones are ignored. */
  observedAt: z.number().int().nonnegative(),
  decisionId: z.string().min(1).optional(),
});
export type ObservedState = z.output<typeof observedState>;
