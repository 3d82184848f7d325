/** Said in every refusal of a secret, so the fix is one command away. */
export const GENERATE_SECRET_HINT = 'generate one with `openssl rand -hex 32`';

// Defaults that Surge's compose file and docs once carried: anyone who read them knows these values.
const KNOWN_DEFAULTS = new Set(['change-me-dev-only', 'surge-dev-only', 'changeme', 'password', 'secret', 'admin']);

// What people paste into an .env or a Secret before they have a real value. Words such as `token` or `admin` are
// not on the list on purpose: they appear in real names of real random tokens (`ingest-token-3f9c…`).
const PLACEHOLDER = /change.?me|replace.?me|placeholder|dev.?only|example|dummy|^todo$|xxxx|^<.*>$|^(.)\1*$/i;

/** Why `value` cannot be a secret of a deployment (a known default or a placeholder), or null when it can. */
export function placeholderSecretReason(value: string): string | null {
  const trimmed = value.trim();
  if (KNOWN_DEFAULTS.has(trimmed.toLowerCase())) return `is a known default; ${GENERATE_SECRET_HINT}`;
  if (PLACEHOLDER.test(trimmed)) return `looks like a placeholder, not a random secret; ${GENERATE_SECRET_HINT}`;
  return null;
}

/** The password of a connection URL (postgres://user:password@host/db), when it carries one. */
export function urlPassword(url: string): string | null {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}
