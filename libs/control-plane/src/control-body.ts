import { FieldValidationException } from '@surge/service-kit';
import { z } from 'zod';

export const CONTROL_ACTIONS = ['pause', 'resume', 'dry-run-on', 'dry-run-off'] as const;

/** A pause may last for a while (`forSeconds`, from the server's clock) or until a time (`until`, epoch ms). */
export const controlBody = z
  .object({
    policy: z.string().min(1).max(253).optional(),
    reason: z.string().max(500).optional(),
    until: z.number().int().positive().optional(),
    forSeconds: z
      .number()
      .int()
      .positive()
      .max(366 * 24 * 3600)
      .optional(),
  })
  .default({});
export type ControlBody = z.infer<typeof controlBody>;

/**
 * The expiry a request asks for, checked against the server's clock: an expiry already passed would be a pause
 * that never holds, so it is refused rather than published.
 */
export function requestedUntil(action: string, body: ControlBody, now: number): number | undefined {
  const field = body.until !== undefined ? 'until' : body.forSeconds !== undefined ? 'forSeconds' : null;
  if (field === null) return undefined;
  const refuse = (message: string, path = field): never => {
    throw new FieldValidationException([{ path, message }], `${path} ${message}`);
  };
  if (action !== 'pause') refuse('is only accepted by pause');
  if (body.until !== undefined && body.forSeconds !== undefined) refuse('cannot be given with until', 'forSeconds');
  const until = body.until ?? now + body.forSeconds! * 1000;
  if (until <= now)
    refuse(`must be in the future (it is ${new Date(until).toISOString()}, now is ${new Date(now).toISOString()})`);
  return until;
}
