import { readFileSync } from 'node:fs';
import { ConfigurationError, type SigningConfig } from '@surge/config';
import type { TopicKey, Topics } from '@surge/contracts';
import { MessageSigner, MessageVerifier, parsePrivateKey, parsePublicKeyList } from '@surge/signing';

/** Which steering topics a module signs when producing and verifies when consuming. */
export interface SigningDeclaration {
  sign?: SteeringTopic[];
  verify?: SteeringTopic[];
}

export type SteeringTopic = Extract<TopicKey, 'decisions' | 'observed' | 'actions' | 'control'>;

/** Signers and verifiers by topic name (not key): names are what the producer and consumers see. */
export interface SigningPolicy {
  signers: ReadonlyMap<string, MessageSigner>;
  verifiers: ReadonlyMap<string, MessageVerifier>;
}

export const OPEN_POLICY: SigningPolicy = { signers: new Map(), verifiers: new Map() };

const PUBLIC_KEYS_SETTING = {
  decisions: 'SURGE_DECISIONS_PUBLIC_KEYS',
  observed: 'SURGE_OBSERVED_PUBLIC_KEYS',
  // Results come from the executors, as observations do: one key list trusts them for both.
  actions: 'SURGE_OBSERVED_PUBLIC_KEYS',
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
    if (!list)
      throw new ConfigurationError(
        `${app}: ${setting} is required to verify ${topic} (or set SURGE_SIGNING_OPEN=true)`,
      );
    verifiers.set(topics[topic], new MessageVerifier(configured(setting, () => parsePublicKeyList(list))));
  }
  return { signers, verifiers };
}

function signerFrom(config: Partial<SigningConfig>, app: string): MessageSigner {
  const { SURGE_SIGNING_KEY: inline, SURGE_SIGNING_KEY_FILE: file, SURGE_SIGNING_KEY_ID: keyId } = config;
  if (inline && file) throw new ConfigurationError(`${app}: set SURGE_SIGNING_KEY or SURGE_SIGNING_KEY_FILE, not both`);
  const text =
    inline ?? (file ? configured(`SURGE_SIGNING_KEY_FILE ${file}`, () => readFileSync(file, 'utf8')) : undefined);
  if (!text || !keyId) {
    throw new ConfigurationError(
      `${app}: SURGE_SIGNING_KEY_ID and a signing key are required (or set SURGE_SIGNING_OPEN=true)`,
    );
  }
  return new MessageSigner(
    keyId,
    configured(file ? 'SURGE_SIGNING_KEY_FILE' : 'SURGE_SIGNING_KEY', () => parsePrivateKey(text)),
  );
}

/** A key that cannot be read or parsed is the operator's to fix: a configuration error naming where it came from. */
function configured<T>(setting: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigurationError(`${setting}: ${(error as Error).message}`, { cause: error });
  }
}
