import { sign, type KeyObject } from 'node:crypto';
import { KEY_ID_HEADER, SIGNATURE_HEADER } from './signature-headers';

/** Signs a message value with one Ed25519 key; the key id tells verifiers which public key to use. */
export class MessageSigner {
  constructor(
    readonly keyId: string,
    private readonly privateKey: KeyObject,
  ) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(keyId)) throw new Error(`invalid signing key id "${keyId}"`);
  }

  /** The headers to add to a message whose value is exactly `value`. */
  headersFor(value: Buffer | string): Record<string, string> {
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    // Ed25519 hashes internally, hence no digest argument.
    const signature = sign(null, bytes, this.privateKey).toString('base64');
    return { [SIGNATURE_HEADER]: signature, [KEY_ID_HEADER]: this.keyId };
  }
}
