import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ServiceSpec, signingEnvOf } from '@surge/harness';
import { SIGNER_ROLES, SigningKeySet } from '@surge/signing';

export interface RunSigningKeys {
  /** Where the private keys are, one mode-600 file per role. */
  dir: string;
  /** A service's signing settings: its role's key file and every trust list. */
  envFor(spec: ServiceSpec): NodeJS.ProcessEnv;
}

/**
 * Fresh Ed25519 keys for one `npm start` run, one pair per signer role (rules engine, executors, control plane).
 * Each private key is written to a mode-600 file in the run's own state directory and given to its services as
 * SURGE_SIGNING_KEY_FILE, never on a command line; every service gets every public key list. Removed on stop.
 */
export function generateRunSigningKeys(stateDir: string, run: string): RunSigningKeys {
  const dir = path.join(stateDir, 'signing');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = new SigningKeySet(run);
  const files = new Map(
    SIGNER_ROLES.map((role) => {
      const file = path.join(dir, `${role}.pem`);
      writeFileSync(file, keys.key(role).privateKeyPem, { mode: 0o600 });
      return [role, file] as const;
    }),
  );
  return {
    dir,
    envFor: (spec) => signingEnvOf(spec, keys, spec.signer ? files.get(spec.signer) : undefined),
  };
}
