import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { repoPath, repoRoot } from './repo-files';

// `import type` / `export type` vanish at compile time; every other form loads the module at run time.
const IMPORT =
  /(?:^|[;\s])(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;
const BUILTIN = new Set(builtinModules);

const aliases = (): Record<string, string> => {
  const paths = JSON.parse(readFileSync(repoPath('tsconfig.base.json'), 'utf8')).compilerOptions.paths as Record<
    string,
    string[]
  >;
  return Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [alias, repoPath(target!)]));
};

function resolveSource(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
    (candidate) => existsSync(candidate) && candidate.endsWith('.ts'),
  );
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

export interface RuntimeGraph {
  /** npm package name → the first source file seen importing it. */
  packages: Map<string, string>;
  /** Every workspace source file loaded, absolute. */
  files: Set<string>;
}

/** An app's import graph from main.ts through relative imports and the @surge/* aliases, as run time loads it. */
export function runtimeGraph(entry: string): RuntimeGraph {
  const alias = aliases();
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('node:') || BUILTIN.has(specifier)) continue;
      const target = specifier.startsWith('.') ? resolveSource(file, specifier) : alias[specifier];
      if (target) pending.push(target);
      else if (!specifier.startsWith('.') && !specifier.startsWith('@surge/')) {
        packages.set(packageName(specifier), path.relative(repoRoot, file));
      } else throw new Error(`${path.relative(repoRoot, file)}: cannot resolve ${specifier}`);
    }
  }
  return { packages, files: seen };
}

/** The runtime image installs `dependencies` only, so each package an app loads must be one of them. */
export const runtimePackages = (entry: string): Map<string, string> => runtimeGraph(entry).packages;

// Test helpers sit in a `testing/` folder of their project (a lib publishes it as `@surge/<lib>/testing`);
// the harness is all test and tooling infrastructure.
const TEST_ONLY = /(^|\/)(testing\/|libs\/harness\/)/;

/** The test-only source files an entry loads at run time, relative to the repository root. */
export const testOnlyFilesLoaded = (entry: string): string[] =>
  [...runtimeGraph(entry).files].map((file) => path.relative(repoRoot, file)).filter((file) => TEST_ONLY.test(file));
