// Test-only entry point (@surge/signing/testing): one key set per test process, so in-process apps, the services a
// test spawns and the messages it produces itself all agree on the keys, and no test needs SURGE_SIGNING_OPEN.
import { SigningKeySet } from '../key-set';
import { parsePrivateKey } from '../keys';
import { MessageSigner } from '../signer';
import type { SignerRole } from '../signer-roles';

let keySet: SigningKeySet | null = null;

export function testSigningKeys(): SigningKeySet {
  keySet ??= new SigningKeySet(`test-${process.pid}`);
  return keySet;
}

/** The signing settings of a service of that role, to spread into the env its config is loaded from. */
export function testSigningEnv(role: SignerRole): Record<string, string | undefined> {
  return testSigningKeys().envFor(role);
}

/** Signs as that role would, for a test that produces steering messages itself. */
export function testSigner(role: SignerRole): MessageSigner {
  const key = testSigningKeys().key(role);
  return new MessageSigner(key.keyId, parsePrivateKey(key.privateKeyPem));
}

/** A Kafka record signed as that role: its value's signature and key id in the headers. */
export function signedAs<M extends { value: string | Buffer; headers?: Record<string, string> }>(
  role: SignerRole,
  message: M,
): M & { headers: Record<string, string> } {
  return { ...message, headers: { ...message.headers, ...testSigner(role).headersFor(message.value) } };
}
