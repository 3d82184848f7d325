import { envInt, loadConfig } from '@surge/config';
import { z } from 'zod';
import { parseAllowlist } from './base-url-allowlist';

/** What executor-http reads besides every executor's settings, validated once at boot. */
export const httpExecutorEnv = z.object({
  SURGE_HTTP_ALLOWED_BASE_URLS: z
    .string()
    .min(1, 'name at least one base URL: an HttpEndpoint target may only point at an allowlisted admin API')
    .transform((value, ctx) => {
      try {
        return parseAllowlist(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      'Comma-separated base URLs (http(s)://host:port/prefix) HttpEndpoint targets may use; any other is refused at boot',
    ),
  SURGE_HTTP_TIMEOUT_MS: envInt(2000, 10, 60_000).describe('Bound on one request to an admin API'),
});

export type HttpExecutorConfig = z.output<typeof httpExecutorEnv>;

export function loadHttpExecutorConfig(env: NodeJS.ProcessEnv = process.env): HttpExecutorConfig {
  return loadConfig('executor-http', httpExecutorEnv, env);
}
