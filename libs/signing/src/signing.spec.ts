import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  KEY_ID_HEADER,
  MessageSigner,
  MessageVerifier,
  parsePrivateKey,
  parsePublicKey,
  parsePublicKeyList,
  SIGNATURE_HEADER,
} from './index';

const pair = () => {
  const { privateKeyPem, publicKeyBase64 } = generateSigningKeyPair();
  return { priv: parsePrivateKey(privateKeyPem), pub: parsePublicKey(publicKeyBase64), publicKeyBase64 };
};

describe('message signing', () => {
  const a = pair();
  const value = JSON.stringify({ decisionId: 'd-1', replicas: 4 });

  it('verifies a message signed with a trusted key', () => {
    const headers = new MessageSigner('rules-1', a.priv).headersFor(value);
    const verdict = new MessageVerifier(new Map([['rules-1', a.pub]])).verify(Buffer.from(value), headers);
    expect(verdict).toEqual({ ok: true, keyId: 'rules-1' });
  });

  it('refuses a value changed by one byte', () => {
    const headers = new MessageSigner('rules-1', a.priv).headersFor(value);
    const verifier = new MessageVerifier(new Map([['rules-1', a.pub]]));
    expect(verifier.verify(value.replace('4', '5'), headers)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses unsigned messages, unknown key ids and a signature made with another key under a trusted id', () => {
    const forger = pair();
    const verifier = new MessageVerifier(new Map([['rules-1', a.pub]]));
    expect(verifier.verify(value, {})).toEqual({ ok: false, reason: 'unsigned' });
    expect(verifier.verify(value, undefined)).toEqual({ ok: false, reason: 'unsigned' });
    expect(verifier.verify(value, new MessageSigner('other', forger.priv).headersFor(value))).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
    expect(verifier.verify(value, new MessageSigner('rules-1', forger.priv).headersFor(value))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifier.verify(value, { [SIGNATURE_HEADER]: 'AAAA', [KEY_ID_HEADER]: 'rules-1' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a repeated signature header instead of picking one copy', () => {
    const headers = new MessageSigner('rules-1', a.priv).headersFor(value);
    const verifier = new MessageVerifier(new Map([['rules-1', a.pub]]));
    const doubled = { ...headers, [SIGNATURE_HEADER]: [headers[SIGNATURE_HEADER]!, headers[SIGNATURE_HEADER]!] };
    expect(verifier.verify(value, doubled)).toEqual({ ok: false, reason: 'unsigned' });
  });

  it('rotates: old and new keys are both trusted while the signer switches, then the old one is dropped', () => {
    const b = pair();
    const list = parsePublicKeyList(`k1=${a.publicKeyBase64}, k2=${b.publicKeyBase64}`);
    const during = new MessageVerifier(list);
    const oldSigned = new MessageSigner('k1', a.priv).headersFor(value);
    const newSigned = new MessageSigner('k2', b.priv).headersFor(value);
    expect(during.verify(value, oldSigned).ok).toBe(true);
    expect(during.verify(value, newSigned).ok).toBe(true);
    const after = new MessageVerifier(parsePublicKeyList(`k2=${b.publicKeyBase64}`));
    expect(after.verify(value, oldSigned)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(after.verify(value, newSigned).ok).toBe(true);
  });

  it('reads private keys as PKCS8 PEM or base64 DER, and refuses other key types and duplicate ids', () => {
    const { privateKeyPem, publicKeyBase64 } = generateSigningKeyPair();
    const der = createPrivateKey(privateKeyPem).export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const fromDer = parsePrivateKey(der);
    const headers = new MessageSigner('k', fromDer).headersFor(value);
    expect(new MessageVerifier(parsePublicKeyList(`k=${publicKeyBase64}`)).verify(value, headers).ok).toBe(true);
    expect(() => parsePrivateKey('change-me')).toThrow();
    expect(() => parsePublicKeyList(`k=${publicKeyBase64},k=${publicKeyBase64}`)).toThrow(/twice/);
    expect(() => parsePublicKeyList('justakey')).toThrow(/id=key/);
    expect(() => new MessageVerifier(new Map())).toThrow();
  });
});
