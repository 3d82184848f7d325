/** A token is at least 32 bytes of randomness; as text (hex, base64url) that is at least 32 characters. */
export const MIN_TOKEN_LENGTH = 32;

// Values people paste into a Secret or an .env before they have a real one. A deployment that still carries
// one must not start: it would accept anyone who has read the same example.
const PLACEHOLDER = /change.?me|replace.?me|placeholder|example|dummy|secret|password|token|xxxx|todo|^(.)\1+$/i;

/** Why `token` cannot be an ingest credential, or null when it can. */
export function weakTokenReason(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH)
    return `must be at least ${MIN_TOKEN_LENGTH} characters of random data (e.g. \`openssl rand -hex 32\`)`;
  if (PLACEHOLDER.test(token)) return 'looks like a placeholder, not a random token (e.g. `openssl rand -hex 32`)';
  if (new Set(token).size < 12) return 'has too few distinct characters to be random (e.g. `openssl rand -hex 32`)';
  return null;
}
