import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';

export function envFilePath(): string {
  return path.join(repoRoot(), '.env.local');
}

/** Parses KEY=VALUE lines; blank lines and # comments are skipped, surrounding double quotes removed. */
export function parseEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return values;
}

export function readEnvFile(file: string = envFilePath()): Record<string, string> {
  return fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
}

/** Writes our keys, keeping any other line a person added to the file unless `replace` is set. */
export function writeEnvFile(values: Record<string, string>, file: string = envFilePath(), replace = false): void {
  const kept =
    !replace && fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '' && !Object.keys(values).some((key) => line.startsWith(`${key}=`)))
          .filter((line) => !line.startsWith('# Written by'))
      : [];
  const ours = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  const header = '# Written by the Surge harness (npm run infra:up). Git-ignored.';
  fs.writeFileSync(file, [header, ...ours, ...kept, ''].join('\n'));
}
