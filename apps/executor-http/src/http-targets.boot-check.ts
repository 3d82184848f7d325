import { HTTP_ENDPOINT_KIND, type TargetEntry } from '@surge/executor-core';
import { type ExecutorTargets, resolveTarget, TargetsFileError } from '@surge/executor-framework';
import { type AllowedBase, isAllowed } from './base-url-allowlist';

const PLACEHOLDER = /^(change-?me|replace-?me|placeholder|todo|secret|token|example|x+|<.*>)$/i;
const MIN_TOKEN_LENGTH = 16;

/**
 * Every HttpEndpoint target checked once at boot: its base URL known and allowlisted, its bearer token readable and
 * real. One bad target stops the executor with every problem named, rather than failing its decisions one by one
 * later. Returns each target's base URL: the only URLs the adapter will call.
 */
export function resolveHttpEndpoints(
  targets: ExecutorTargets,
  allowlist: readonly AllowedBase[],
  env: Readonly<Record<string, string | undefined>>,
): ReadonlyMap<string, string> {
  const problems: string[] = [];
  const baseUrls = new Map<string, string>();
  for (const entry of targets.catalog.all()) {
    if (entry.kind !== HTTP_ENDPOINT_KIND) continue;
    const baseUrl = baseUrlOf(entry, env);
    if (!baseUrl) problems.push(`${entry.id}: baseUrl variable ${envName(entry)} is not set`);
    else if (!isAllowed(baseUrl, allowlist))
      problems.push(
        `${entry.id}: baseUrl ${baseUrl} is not in SURGE_HTTP_ALLOWED_BASE_URLS (${allowlist.map((a) => a.origin + a.pathPrefix).join(', ')})`,
      );
    else baseUrls.set(entry.id, baseUrl);
    let token: string | null;
    try {
      token = resolveTarget(entry, targets.connections).connection;
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    if (!token || PLACEHOLDER.test(token) || token.length < MIN_TOKEN_LENGTH)
      problems.push(
        `${entry.id}: its bearer token is empty, a placeholder or shorter than ${MIN_TOKEN_LENGTH} characters`,
      );
  }
  if (problems.length > 0) throw new TargetsFileError(`HttpEndpoint targets refused: ${problems.join('; ')}`);
  return baseUrls;
}

function baseUrlOf(entry: TargetEntry, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const baseUrl = entry.baseUrl!;
  return typeof baseUrl === 'string' ? baseUrl : env[baseUrl.env] || undefined;
}

function envName(entry: TargetEntry): string {
  return typeof entry.baseUrl === 'object' ? entry.baseUrl.env : '';
}
