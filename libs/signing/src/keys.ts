import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Accepts a PEM block or the base64 of its DER body (PKCS8 for private keys, SPKI for public ones), so a key fits
 * in one environment variable. Anything but Ed25519 is refused: a verifier that accepted any key type would let
 * whoever picks the type pick the algorithm.
 */
export function parsePrivateKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey({ key: text, format: 'pem' })
    : createPrivateKey({ key: derFrom(text), format: 'der', type: 'pkcs8' });
  return requireEd25519(key);
}

export function parsePublicKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey({ key: text, format: 'pem' })
    : createPublicKey({ key: derFrom(text), format: 'der', type: 'spki' });
  return requireEd25519(key);
}

/** The public key as base64 SPKI DER, the form `id=key` lists carry. */
export function publicKeyToBase64(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'der', type: 'spki' }).toString('base64');
}

function derFrom(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) throw new Error('key is neither PEM nor base64 DER');
  return Buffer.from(trimmed, 'base64');
}

function requireEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key is ${key.asymmetricKeyType}, not ed25519`);
  return key;
}
