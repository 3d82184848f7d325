import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestCredentials } from './ingest-credentials';
import { compileTargetPatterns } from './target-pattern';

const token = () => randomBytes(32).toString('hex');
const sha = (value: string) => createHash('sha256').update(value).digest('hex');

function tokensFile(content: unknown, ext = 'json'): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'surge-tokens-')), `tokens.${ext}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('IngestCredentials', () => {
  it('refuses to build without any credential, with a message that says what to set', () => {
    expect(() => IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: false })).toThrow(
      /no credential: set SURGE_INGEST_TOKENS_FILE .* or SURGE_INGEST_TOKEN .*SURGE_INGEST_OPEN=true/,
    );
  });

  it('runs open only when SURGE_INGEST_OPEN=true says so', () => {
    expect(IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: true }).open).toBe(true);
    expect(IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: true, SURGE_INGEST_TOKEN: token() }).open).toBe(false);
  });

  it.each([
    ['short', 'abc123'],
    ['a placeholder', 'change-me-change-me-change-me-change-me'],
    ['another placeholder', 'REPLACE_ME_WITH_A_REAL_TOKEN_0123456789'],
    ['one repeated character', 'a'.repeat(64)],
    ['too few distinct characters', 'ab'.repeat(32)],
  ])('refuses %s SURGE_INGEST_TOKEN at start', (_name, value) => {
    expect(() => IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: false, SURGE_INGEST_TOKEN: value })).toThrow(
      /^SURGE_INGEST_TOKEN /,
    );
  });

  it('the single token authenticates as a source that may write any target; others authenticate as nobody', () => {
    const value = token();
    const credentials = IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: false, SURGE_INGEST_TOKEN: value });
    const source = credentials.authenticate(value);
    expect(source?.name).toBe('token');
    expect(source?.mayWrite('any/thing')).toBe(true);
    expect(credentials.authenticate(token())).toBeNull();
    expect(credentials.authenticate(value.slice(0, -1))).toBeNull();
  });

  it('reads named sources from a YAML tokens file, each limited to its patterns', () => {
    const [shop, pool] = [token(), token()];
    const file = tokensFile(
      `sources:\n  - name: shop\n    tokenSha256: ${sha(shop)}\n    targets: ['demo/*']\n` +
        `  - name: pool\n    tokenSha256: ${sha(pool).toUpperCase()}\n    targets: [pool/web, 'db/**']\n`,
      'yaml',
    );
    const credentials = IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: false, SURGE_INGEST_TOKENS_FILE: file });
    expect(credentials.sourceNames).toEqual(['shop', 'pool']);
    const shopSource = credentials.authenticate(shop)!;
    expect(shopSource.name).toBe('shop');
    expect([
      shopSource.mayWrite('demo/shop'),
      shopSource.mayWrite('demo/a/b'),
      shopSource.mayWrite('pool/web'),
    ]).toEqual([true, false, false]);
    const poolSource = credentials.authenticate(pool)!;
    expect([poolSource.mayWrite('pool/web'), poolSource.mayWrite('db/a/b'), poolSource.mayWrite('pool/webx')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it.each([
    ['no sources', { sources: [] }, /sources: must name at least one source/],
    [
      'a token instead of its hash',
      { sources: [{ name: 'a', tokenSha256: randomBytes(32).toString('base64url'), targets: ['*'] }] },
      /SHA-256/,
    ],
    ['the hash of an empty token', { sources: [{ name: 'a', tokenSha256: sha(''), targets: ['*'] }] }, /empty/],
    ['no targets', { sources: [{ name: 'a', tokenSha256: sha(token()), targets: [] }] }, /target pattern/],
    [
      'a bad pattern',
      { sources: [{ name: 'a', tokenSha256: sha(token()), targets: ['a b'] }] },
      /not a target pattern/,
    ],
    [
      'a shared token',
      {
        sources: [
          { name: 'a', tokenSha256: sha('x'.repeat(40)), targets: ['*'] },
          { name: 'b', tokenSha256: sha('x'.repeat(40)), targets: ['*'] },
        ],
      },
      /share one token/,
    ],
  ])('refuses a tokens file with %s', (_name, content, message) => {
    const file = tokensFile(content);
    expect(() => IngestCredentials.fromSettings({ SURGE_INGEST_OPEN: false, SURGE_INGEST_TOKENS_FILE: file })).toThrow(
      message,
    );
  });

  it('refuses a tokens file that does not exist, naming it', () => {
    expect(() =>
      IngestCredentials.fromSettings({
        SURGE_INGEST_OPEN: false,
        SURGE_INGEST_TOKENS_FILE: '/nonexistent/tokens.yaml',
      }),
    ).toThrow(/SURGE_INGEST_TOKENS_FILE \/nonexistent\/tokens.yaml/);
  });
});

describe('target patterns', () => {
  it.each([
    ['demo/*', 'demo/shop', true],
    ['demo/*', 'demo/', true],
    ['demo/*', 'demo/a/b', false],
    ['demo/*', 'demox/shop', false],
    ['demo/**', 'demo/a/b', true],
    ['**', 'anything/at/all', true],
    ['db/main', 'db/main', true],
    ['db/main', 'db/mainx', false],
    ['a.b/*', 'axb/c', false],
  ])('%s matches %s: %s', (pattern, target, expected) => {
    expect(compileTargetPatterns([pattern])(target)).toBe(expected);
  });
});
