import { z } from 'zod';

const ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const reserveRequestSchema = z
  .object({
    eventId: z.string().regex(ID, 'must be 1-64 of [A-Za-z0-9._:-]'),
    visitorId: z.string().regex(ID, 'must be 1-64 of [A-Za-z0-9._:-]'),
    token: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const EVENT_ID = ID;
