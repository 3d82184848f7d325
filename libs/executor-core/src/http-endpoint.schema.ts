import { z } from 'zod';

export const HTTP_ENDPOINT_KIND = 'HttpEndpoint';

/**
 * A path on the target's base URL: absolute, no scheme or host, no `..`, query or fragment, so a targets file
 * can never point a setting outside the allowlisted base URL.
 */
const endpointPath = z
  .string()
  .regex(/^\/(?!\/)[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'an absolute path such as /admin/rate-limits/checkout')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ..');

/** RFC 6901: empty (the whole document) or `/`-separated reference tokens. */
const jsonPointer = z.string().regex(/^(\/[^/]*)*$/, 'a JSON pointer (RFC 6901) such as /limitPerSecond');

/**
 * One setting of an app's admin API: the request that sets it (the body a JSON template where the string
 * `{{value}}` becomes the number and `{{value:boolean}}` becomes value != 0) and the GET that reads it back.
 */
export const httpSettingSchema = z
  .object({
    method: z.enum(['PUT', 'POST', 'PATCH']).default('PUT'),
    path: endpointPath,
    body: z.unknown().default('{{value}}'),
    read: z.object({ path: endpointPath, pointer: jsonPointer }).strict(),
  })
  .strict();

/** The fields only an HttpEndpoint target has; its bearer token comes from `connection`, like any credential. */
export const httpEndpointFields = {
  /**
   * The admin API's URL, or the env variable holding it (a port chosen at run time); either must be under an entry
   * of the executor's SURGE_HTTP_ALLOWED_BASE_URLS, checked at its boot.
   */
  baseUrl: z.union([z.url({ protocol: /^https?$/ }), z.object({ env: z.string().min(1) }).strict()]).optional(),
  /** Setting name → how to set and read it; each name needs bounds of its own. */
  settings: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), httpSettingSchema).optional(),
};

export type HttpSetting = z.output<typeof httpSettingSchema>;

interface EntryFields {
  kind: string;
  baseUrl?: unknown;
  settings?: Record<string, unknown> | undefined;
  bounds: unknown;
  connection?: unknown;
}

/** What the file schema cannot say field by field: these fields belong to HttpEndpoint targets, and all of them do. */
export function httpEndpointIssues(entry: EntryFields): { path: string[]; message: string }[] {
  const isHttp = entry.kind === HTTP_ENDPOINT_KIND;
  if (!isHttp)
    return (['baseUrl', 'settings'] as const)
      .filter((field) => entry[field] !== undefined)
      .map((field) => ({ path: [field], message: `only an ${HTTP_ENDPOINT_KIND} target has ${field}` }));
  const issues: { path: string[]; message: string }[] = [];
  if (!entry.baseUrl) issues.push({ path: ['baseUrl'], message: `an ${HTTP_ENDPOINT_KIND} target needs a baseUrl` });
  if (!entry.connection)
    issues.push({
      path: ['connection'],
      message: 'an HttpEndpoint target needs a connection holding its bearer token',
    });
  const names = Object.keys(entry.settings ?? {});
  if (names.length === 0) issues.push({ path: ['settings'], message: 'name at least one setting' });
  const bounds = entry.bounds as Record<string, unknown>;
  // The observed-state publisher tells a setting from a workload gauge by its own bounds entry.
  for (const name of names)
    if (typeof bounds['min'] === 'number' || !(name in bounds))
      issues.push({ path: ['bounds', name], message: `setting ${name} needs bounds of its own` });
  return issues;
}
