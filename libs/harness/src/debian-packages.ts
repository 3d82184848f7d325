import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';
import { HarnessError } from './wait-for';

export function listedDebianPackages(file = path.join(repoRoot(), 'tools', 'debian-packages.txt')): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function installed(pkg: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Installs the packages of tools/debian-packages.txt that are missing; only root may, others get the command to run. */
export function ensureDebianPackages(log: (line: string) => void = () => undefined): string[] {
  if (spawnSync('dpkg-query', ['--version']).error) return [];
  const missing = listedDebianPackages().filter((pkg) => !installed(pkg));
  if (missing.length === 0) return [];
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0)
    throw new HarnessError(`Debian packages missing: ${missing.join(', ')}. Fix: sudo ${command}`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
  }
  if (result.status !== 0)
    throw new HarnessError(`could not install ${missing.join(', ')}. Fix: run ${command} by hand`);
  return missing;
}
