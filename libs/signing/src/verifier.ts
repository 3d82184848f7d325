import { verify, type KeyObject } from 'node:crypto';
import { KEY_ID_HEADER, SIGNATURE_HEADER } from './signature-headers';

export type RefusalReason = 'unsigned' | 'unknown-key' | 'bad-signature';

export type Verdict = { ok: true; keyId: string } | { ok: false; reason: RefusalReason };

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/**
 * Verifies against a set of trusted public keys by id. Several keys at once is how keys rotate: trust the new
 * key everywhere, switch the signer, then drop the old key.
 */
export class MessageVerifier {
  constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {
    if (keys.size === 0) throw new Error('a verifier needs at least one public key');
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  verify(value: Buffer | string | null, headers: Record<string, HeaderValue> | undefined): Verdict {
    const signature = single(headers?.[SIGNATURE_HEADER]);
    const keyId = single(headers?.[KEY_ID_HEADER]);
    if (signature === undefined || keyId === undefined || value === null) return { ok: false, reason: 'unsigned' };
    const key = this.keys.get(keyId);
    if (!key) return { ok: false, reason: 'unknown-key' };
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    const sig = Buffer.from(signature, 'base64');
    // A wrong-length signature makes node:crypto throw instead of answering false.
    if (sig.length !== 64) return { ok: false, reason: 'bad-signature' };
    return verify(null, bytes, key, sig) ? { ok: true, keyId } : { ok: false, reason: 'bad-signature' };
  }
}

/** A header repeated is refused as unsigned rather than letting the first or last copy win. */
function single(value: HeaderValue): string | undefined {
  if (value === undefined || Array.isArray(value)) return undefined;
  return value.toString();
}
