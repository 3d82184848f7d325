import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The waiting room's VQ_KEY_ENCRYPTION_KEY_FILE in `dir` (mode 600), made once and then kept: every instance of one
 * run, and every run on the same room Redis, must open the keys the others sealed with it.
 */
export function queueKeyEncryptionFile(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'virtual-queue.kek');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return file;
}
