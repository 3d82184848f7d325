import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type TestRole = 'viewer' | 'operator' | 'admin';

/**
 * A SURGE_OPERATORS_FILE in a fresh temporary directory, one operator per name given with a fresh random token: the
 * file holds only each token's SHA-256, as a real one does, and the spec keeps the tokens (`tokens[name]`).
 */
export function writeOperatorsFile(roles: Record<string, TestRole>): { file: string; tokens: Record<string, string> } {
  const tokens = Object.fromEntries(Object.keys(roles).map((name) => [name, randomBytes(24).toString('hex')]));
  const lines = Object.entries(roles).map(
    ([name, role]) =>
      `  - { name: ${name}, role: ${role}, tokenHash: "sha256:${createHash('sha256').update(tokens[name]!).digest('hex')}" }`,
  );
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'surge-operators-')), 'operators.yaml');
  writeFileSync(file, `operators:\n${lines.join('\n')}\n`, { mode: 0o600 });
  return { file, tokens };
}
