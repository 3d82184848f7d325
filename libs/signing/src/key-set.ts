import { generateSigningKeyPair } from './generate';
import { PUBLIC_KEYS_SETTING_OF, SIGNER_ROLES, type SignerRole } from './signer-roles';

export interface RoleKey {
  keyId: string;
  privateKeyPem: string;
  publicKeyBase64: string;
}

/** One fresh Ed25519 pair per signer role, for a run of the whole pipeline (`npm start`, the test harness). */
export class SigningKeySet {
  readonly keys: ReadonlyMap<SignerRole, RoleKey>;

  /** `run` goes into the key ids, so a log line names the run whose key signed a message. */
  constructor(run: string) {
    const suffix = run.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 32);
    this.keys = new Map(
      SIGNER_ROLES.map((role) => [role, { keyId: `${role}-${suffix}`, ...generateSigningKeyPair() }] as const),
    );
  }

  key(role: SignerRole): RoleKey {
    return this.keys.get(role)!;
  }

  /** Every verifier's trust lists: each role's public key under the setting of the topic it signs. */
  publicKeyEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [role, key] of this.keys) env[PUBLIC_KEYS_SETTING_OF[role]] = `${key.keyId}=${key.publicKeyBase64}`;
    return env;
  }

  /**
   * A service's signing settings: its role's private key (inline, or as a file path the caller wrote) and every
   * trust list. The other form of the key is unset (undefined: spawn and the config schemas skip it), and so is
   * SURGE_SIGNING_OPEN, so nothing left in the caller's shell overrides the run's keys.
   */
  envFor(role: SignerRole | undefined, keyFile?: string): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = { SURGE_SIGNING_OPEN: undefined, ...this.publicKeyEnv() };
    if (!role)
      return {
        ...env,
        SURGE_SIGNING_KEY_ID: undefined,
        SURGE_SIGNING_KEY: undefined,
        SURGE_SIGNING_KEY_FILE: undefined,
      };
    const key = this.key(role);
    env['SURGE_SIGNING_KEY_ID'] = key.keyId;
    if (keyFile) {
      env['SURGE_SIGNING_KEY_FILE'] = keyFile;
      env['SURGE_SIGNING_KEY'] = undefined;
    } else {
      env['SURGE_SIGNING_KEY'] = key.privateKeyPem;
      env['SURGE_SIGNING_KEY_FILE'] = undefined;
    }
    return env;
  }
}
