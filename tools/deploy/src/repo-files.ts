import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root: specs run from anywhere, the deploy files sit at fixed places under it. */
export const repoRoot = path.resolve(__dirname, '../../..');

export const repoPath = (...segments: string[]): string => path.join(repoRoot, ...segments);

export const readRepoFile = (relative: string): string => readFileSync(repoPath(relative), 'utf8');

/** Compose files use YAML 1.1 merge keys (`<<: *anchor`), which the yaml package applies only when asked. */
export const readYaml = <T = unknown>(relative: string): T => parse(readRepoFile(relative), { merge: true }) as T;

/** Parses a multi-document stream (kubectl output); an empty document (a trailing `---`) is dropped. */
export function parseYamlStream(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`invalid YAML in stream: ${doc.errors[0]!.message}`);
      return doc.toJS() as Record<string, unknown> | null;
    })
    .filter((doc): doc is Record<string, unknown> => doc !== null && typeof doc === 'object');
}

/** The Surge services with the ports they listen on (README and tools/start use the same table). */
export const SURGE_SERVICES: Readonly<Record<string, number>> = {
  'metrics-ingest': 8081,
  'rules-engine': 8082,
  'executor-k8s': 8083,
  'executor-database': 8084,
  'executor-cache': 8085,
  'virtual-queue': 8090,
  'audit-log': 8080,
  notifier: 8087,
};

/** The signing role each deployed service's key belongs to (metrics-ingest signs nothing). */
export const SIGNING_ROLE_OF: Readonly<Record<string, string>> = {
  'rules-engine': 'rules-engine',
  'executor-k8s': 'executor',
  'executor-database': 'executor',
  'executor-cache': 'executor',
  'virtual-queue': 'executor',
  'audit-log': 'control-plane',
};
