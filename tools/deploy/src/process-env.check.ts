import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from './repo-files';

/** A read of the environment: `process.env`, `process['env']`, or `{ env } = process`. */
const READ = /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/;

/** The one form a config loader may use: the environment as the default of its `env` parameter. */
const LOADER_DEFAULT = /\benv\??\s*:\s*NodeJS\.ProcessEnv\s*=\s*process\.env\b/;

/** Tests, test helpers and the harness set up environments on purpose. */
const isTestCode = (file: string) =>
  /\.(spec|int-spec|e2e-spec)\.ts$/.test(file) ||
  file.split('/').includes('testing') ||
  file.startsWith('libs/harness/');

/**
 * Config once, at boot: service code gets its settings from its validated config. A config loader (`*.config.ts`,
 * `libs/config`) takes the environment as a default parameter; an entry point (`main.ts`) may hand it on to the
 * processes it starts. Anything else that reads `process.env` is reported, as `file:line`.
 */
export function processEnvReads(file: string, text: string): string[] {
  if (isTestCode(file)) return [];
  const entryPoint = path.basename(file) === 'main.ts';
  const configLoader = file.endsWith('.config.ts') || file.startsWith('libs/config/');
  return text.split('\n').flatMap((line, index) => {
    if (!READ.test(line) || entryPoint) return [];
    if (configLoader && LOADER_DEFAULT.test(line)) return [];
    return [`${file}:${index + 1}`];
  });
}

/** Every production `.ts` file under apps/ and libs/, relative to the repository root. */
export function productionSources(): string[] {
  return ['apps', 'libs'].flatMap((root) =>
    readdirSync(repoPath(root), { recursive: true, encoding: 'utf8' })
      .map((file) => `${root}/${file.split(path.sep).join('/')}`)
      .filter((file) => file.endsWith('.ts') && !file.includes('node_modules') && !isTestCode(file)),
  );
}

export function processEnvReadsInRepo(): string[] {
  return productionSources().flatMap((file) => processEnvReads(file, readFileSync(repoPath(file), 'utf8')));
}
