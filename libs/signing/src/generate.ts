import { generateKeyPairSync } from 'node:crypto';

/** A fresh Ed25519 pair: the private key as PKCS8 PEM, the public key as base64 SPKI DER for `id=key` lists. */
export function generateSigningKeyPair(): { privateKeyPem: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}
