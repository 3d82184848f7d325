import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const SHA256_HEX = /^[0-9a-f]{64}$/;
// SHA-256 of the empty string: what a script writes when the token variable it hashes was unset.
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sourceEntry = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be a short lowercase name (a-z, 0-9, _ . -)'),
  tokenSha256: z
    .string()
    .transform((value) => value.toLowerCase())
    .refine((value) => SHA256_HEX.test(value), 'must be the SHA-256 of the token as 64 hex digits')
    .refine(
      (value) => value !== EMPTY_SHA256 && !/^(.)\1+$/.test(value),
      'is the hash of an empty or placeholder token',
    ),
  targets: z.array(z.string().min(1)).min(1, 'must list at least one target pattern, e.g. demo/*'),
});

export const tokensFileSchema = z.object({ sources: z.array(sourceEntry).min(1, 'must name at least one source') });

export type TokensFileSource = z.output<typeof sourceEntry>;

/**
 * The tokens file (YAML, or JSON, which is YAML too): named sources, each with the SHA-256 of its token, never the
 * token itself, so the file reveals nothing to whoever can read it, and the target patterns it may write:
 *
 *     sources:
 *       - name: shop-reporter
 *         tokenSha256: 9f86d08…   # printf %s "$TOKEN" | sha256sum
 *         targets: [demo/*]
 */
export function readTokensFile(file: string): TokensFileSource[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`SURGE_INGEST_TOKENS_FILE ${file}: ${(error as Error).message}`);
  }
  const result = tokensFileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`SURGE_INGEST_TOKENS_FILE ${file}: ${problems.join('; ')}`);
  }
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const source of result.data.sources) {
    if (names.has(source.name)) throw new Error(`SURGE_INGEST_TOKENS_FILE ${file}: source "${source.name}" twice`);
    if (hashes.has(source.tokenSha256))
      throw new Error(`SURGE_INGEST_TOKENS_FILE ${file}: two sources share one token ("${source.name}")`);
    names.add(source.name);
    hashes.add(source.tokenSha256);
  }
  return result.data.sources;
}
