import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let file: string | undefined;

/**
 * VQ_KEY_ENCRYPTION_KEY_FILE for tests and tools that start the queue: one secret per process, so several
 * instances sharing a key prefix open each other's sealed keys.
 */
export function testKeyEncryptionKeyFile(): string {
  if (!file) {
    file = path.join(mkdtempSync(path.join(tmpdir(), 'vq-kek-')), 'kek');
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return file;
}
