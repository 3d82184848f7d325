/** An allowed base URL: its origin, and the path prefix a target's base URL must sit under. */
export interface AllowedBase {
  origin: string;
  pathPrefix: string;
}

function normalised(raw: string): AllowedBase {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${raw} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${raw} is not http(s)`);
  // A credential in the URL would be sent to the app in clear in every log line; tokens come from a secret.
  if (url.username || url.password) throw new Error(`${raw} holds credentials; give them as the target's connection`);
  if (url.search || url.hash) throw new Error(`${raw} has a query or fragment`);
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

export function parseAllowlist(value: string): AllowedBase[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('no base URL given');
  return entries.map(normalised);
}

/** Same origin, and the path at or under the allowed prefix segment by segment (/admin does not allow /administer). */
export function isAllowed(baseUrl: string, allowlist: readonly AllowedBase[]): boolean {
  const base = normalised(baseUrl);
  return allowlist.some(
    (allowed) =>
      allowed.origin === base.origin &&
      (base.pathPrefix === allowed.pathPrefix || base.pathPrefix.startsWith(`${allowed.pathPrefix}/`)),
  );
}

/** A setting's path on the target's base URL; the schema already keeps the path from leaving it. */
export function urlOf(baseUrl: string, path: string): string {
  return `${normalised(baseUrl).origin}${normalised(baseUrl).pathPrefix}${path}`;
}
