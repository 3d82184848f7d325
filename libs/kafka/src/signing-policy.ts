import { readFileSync } from 'node:fs';
import type { SigningConfig } from '@surge/config';
import type { TopicKey, Topics } from '@surge/contracts';
import { MessageSigner, MessageVerifier, parsePrivateKey, parsePublicKeyList } from '@surge/signing';

/** Which steering topics a module signs when producing and verifies when consuming. */
export interface SigningDeclaration {
  sign?: SteeringTopic[];
  verify?: SteeringTopic[];
}

export type SteeringTopic = Extract<TopicKey, 'decisions' | 'observed' | 'control'>;

/** Signers and verifiers by topic name (not key): names are what the producer and consumers see. */
export interface SigningPolicy {
  signers: ReadonlyMap<string, MessageSigner>;
  verifiers: ReadonlyMap<string, MessageVerifier>;
}

export const OPEN_POLICY: SigningPolicy = { signers: new Map(), verifiers: new Map() };

const PUBLIC_KEYS_SETTING = {
  decisions: 'SURGE_DECISIONS_PUBLIC_KEYS',
  observed: 'SURGE_OBSERVED_PUBLIC_KEYS',
  control: 'SURGE_CONTROL_PUBLIC_KEYS',
} as const satisfies Record<SteeringTopic, keyof SigningConfig>;

/**
 * Builds the policy once at boot and refuses to start rather than run half-signed: every declared topic needs
 * its key, unless SURGE_SIGNING_OPEN says explicitly that this deployment runs unsigned.
 */
export function signingPolicyFor(
  config: Partial<SigningConfig>,
  declared: SigningDeclaration | undefined,
  topics: Topics,
  app: string,
): SigningPolicy {
  if (!declared || config.SURGE_SIGNING_OPEN) return OPEN_POLICY;
  const signers = new Map<string, MessageSigner>();
  if (declared.sign?.length) {
    const signer = signerFrom(config, app);
    for (const topic of declared.sign) signers.set(topics[topic], signer);
  }
  const verifiers = new Map<string, MessageVerifier>();
  for (const topic of declared.verify ?? []) {
    const setting = PUBLIC_KEYS_SETTING[topic];
    const list = config[setting];
    if (!list) throw new Error(`${app}: ${setting} is required to verify ${topic} (or set SURGE_SIGNING_OPEN=true)`);
    verifiers.set(topics[topic], new MessageVerifier(parsePublicKeyList(list)));
  }
  return { signers, verifiers };
}

function signerFrom(config: Partial<SigningConfig>, app: string): MessageSigner {
  const { SURGE_SIGNING_KEY: inline, SURGE_SIGNING_KEY_FILE: file, SURGE_SIGNING_KEY_ID: keyId } = config;
  if (inline && file) throw new Error(`${app}: set SURGE_SIGNING_KEY or SURGE_SIGNING_KEY_FILE, not both`);
  const text = inline ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (!text || !keyId) {
    throw new Error(`${app}: SURGE_SIGNING_KEY_ID and a signing key are required (or set SURGE_SIGNING_OPEN=true)`);
  }
  return new MessageSigner(keyId, parsePrivateKey(text));
}
