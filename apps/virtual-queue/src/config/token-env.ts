import { z } from 'zod';
import { envInt } from '@surge/config';
import { DEFAULT_TOKEN_AUDIENCE } from '@surge/queue-core';

export { DEFAULT_TOKEN_AUDIENCE };

/** Admission tokens and the keys that sign them. */
export const tokenEnv = {
  VQ_TOKEN_TTL_SECONDS: envInt(300, 10, 3600).describe(
    'Lifetime of an admission token (never past the session): long enough to reach the shop, short enough to be useless stolen',
  ),
  VQ_TOKEN_AUDIENCE: z
    .string()
    .min(1)
    .default(DEFAULT_TOKEN_AUDIENCE)
    .describe(
      "The aud claim of admission tokens of rooms without a redirectUrl (with one, its origin); the protected site's origin",
    ),
  VQ_SIGNING_KEY_ROTATION_SECONDS: envInt(86_400, 60, 90 * 86_400).describe(
    'Age at which the token signing key is replaced; the JWKS keeps the previous key for one more interval',
  ),
  // Required, but checked after the rooms file (loadVirtualQueueConfig), so a bad rooms file is reported first.
  VQ_KEY_ENCRYPTION_KEY_FILE: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().optional())
    .describe(
      'File (a mounted secret, at least 32 characters) keying the AES-256-GCM encryption of the signing keys in Redis; required',
    ),
};
