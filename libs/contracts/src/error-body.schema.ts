import { z } from 'zod';

export const fieldIssueSchema = z.object({
  path: z.string().describe('Where in the input, dot-separated: `samples.3.value`, or a parameter name'),
  message: z.string(),
});

/** Every Surge HTTP error answer, 4xx and 5xx alike: the services' error filter and the demo apps send this. */
export const errorBodySchema = z.object({
  error: z.string().describe('A stable code: `validation_failed`, `unauthorized`, `not_found`, …'),
  message: z.string(),
  issues: z.array(fieldIssueSchema).optional().describe('Every bad field, so a client can fix all of them at once'),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
