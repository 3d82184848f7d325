import { z } from 'zod';
import { envBoolean } from './env-fragments';

// Values a template or example would carry: a service given one of these is misconfigured, not signed.
const PLACEHOLDER = /^(|change-?me|changeme|placeholder|todo|xxx+|secret|example|<.*>)$/i;

const notPlaceholder = (what: string) =>
  z
    .string()
    .refine((v) => !PLACEHOLDER.test(v.trim()), { message: `${what} is a placeholder, not a key` })
    .optional();

/**
 * Signing of steering messages (decisions, observed state, control events). Keys themselves are parsed by
 * libs/signing when the Kafka module starts; this only declares and describes the variables.
 */
export const signingEnv = {
  SURGE_SIGNING_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore; at most 64')
    .optional()
    .describe('Id of this service’s signing key, sent in the surge-key-id header; verifiers look the key up by it'),
  SURGE_SIGNING_KEY: notPlaceholder('SURGE_SIGNING_KEY').describe(
    'This service’s Ed25519 private key (PKCS8 PEM or base64 DER) for the topics it signs; prefer SURGE_SIGNING_KEY_FILE',
  ),
  SURGE_SIGNING_KEY_FILE: z
    .string()
    .optional()
    .describe(
      'Path of a file holding this service’s Ed25519 private key (PKCS8 PEM or base64 DER), e.g. a mounted Secret',
    ),
  SURGE_DECISIONS_PUBLIC_KEYS: notPlaceholder('SURGE_DECISIONS_PUBLIC_KEYS').describe(
    'Trusted signers of decisions: id=base64 SPKI DER Ed25519 public key, comma-separated (several while rotating)',
  ),
  SURGE_OBSERVED_PUBLIC_KEYS: notPlaceholder('SURGE_OBSERVED_PUBLIC_KEYS').describe(
    'Trusted signers of observed state and action results (the executors): id=key, comma-separated',
  ),
  SURGE_CONTROL_PUBLIC_KEYS: notPlaceholder('SURGE_CONTROL_PUBLIC_KEYS').describe(
    'Trusted signers of control events (the control plane): id=key, comma-separated',
  ),
  SURGE_SIGNING_OPEN: envBoolean(false).describe(
    'true runs without signing or verifying steering messages; only for a closed test bed. Without it, keys are required',
  ),
};

export type SigningConfig = z.output<z.ZodObject<typeof signingEnv>>;
