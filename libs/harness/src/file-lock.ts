import fs from 'node:fs';
import { isAlive } from './managed-process';
import { HarnessError } from './wait-for';

/**
 * Runs fn while holding a lock file (O_EXCL create holding our pid), so two test runs started together don't both
 * start a Kafka. A lock whose pid is gone is stale and taken over.
 */
export async function withFileLock<T>(file: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const owner = lockOwner(file);
      // An empty file is a lock being written right now, not a stale one: only a dead owner's lock is taken over.
      if (owner !== undefined && !isAlive(owner)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new HarnessError(
          `${file} is held by pid ${owner ?? '?'} for over ${timeoutMs} ms. Fix: wait for it, or delete the file`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function lockOwner(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (text) return Number(text);
    // Written empty and never filled: its writer died between create and write.
    return Date.now() - fs.statSync(file).mtimeMs > 10_000 ? 0 : undefined;
  } catch {
    return undefined;
  }
}
