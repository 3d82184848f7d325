import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@surge/config';

/** A secret encrypted with AES-256-GCM; `aad` (the key's id) is bound in, so sealed values cannot be swapped. */
export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

const PLACEHOLDER = /^(change-?me|replace-?me|placeholder|todo|secret|example|x+|<.*>)$/i;
const MIN_SECRET_CHARS = 32;

/**
 * The key-encryption key, derived from the secret file's content. Read once at boot: a missing, short or
 * placeholder secret stops the service instead of leaving the signing keys readable by anyone with Redis access.
 */
export function loadKeyEncryptionKey(file: string): Buffer {
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigurationError(`VQ_KEY_ENCRYPTION_KEY_FILE ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (PLACEHOLDER.test(secret)) throw new ConfigurationError(`VQ_KEY_ENCRYPTION_KEY_FILE ${file} holds a placeholder`);
  if (secret.length < MIN_SECRET_CHARS)
    throw new ConfigurationError(
      `VQ_KEY_ENCRYPTION_KEY_FILE ${file} holds ${secret.length} characters; at least ${MIN_SECRET_CHARS} (e.g. \`openssl rand -hex 32\`)`,
    );
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'surge-virtual-queue signing keys', 32));
}

export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    data: data.toString('base64url'),
  };
}

/** Throws when the value was sealed with another key (another deployment's secret) or tampered with. */
export function unseal(key: Buffer, sealed: Sealed, aad: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'))
    .setAAD(Buffer.from(aad))
    .setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]).toString('utf8');
}
