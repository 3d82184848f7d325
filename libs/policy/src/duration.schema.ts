import { z } from 'zod';
import { parseDurationSeconds } from './duration';

/** A duration field: `30s`, `5m`, `1h30m` or a number of seconds, to seconds. */
export const durationSeconds = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDurationSeconds(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
