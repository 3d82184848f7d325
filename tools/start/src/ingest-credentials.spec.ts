import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateIngestCredentials } from './ingest-credentials';

describe('generateIngestCredentials', () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'surge-start-')), 'run');
  const set = generateIngestCredentials(dir, [{ service: 'local-pool', targets: ['demo/shop'] }]);

  it('writes a mode-600 tokens file with the hash of each reporter token and its targets, never the token', () => {
    expect(statSync(set.tokensFile).mode & 0o777).toBe(0o600);
    const token = String(set.envFor('local-pool').SURGE_INGEST_TOKEN);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const content = readFileSync(set.tokensFile, 'utf8');
    expect(content).not.toContain(token);
    expect(parse(content)).toEqual({
      sources: [
        { name: 'local-pool', tokenSha256: createHash('sha256').update(token).digest('hex'), targets: ['demo/shop'] },
      ],
    });
  });

  it('gives ingest the file and no token, and other services no token', () => {
    expect(set.envFor('metrics-ingest')).toEqual({
      SURGE_INGEST_TOKENS_FILE: set.tokensFile,
      SURGE_INGEST_TOKEN: '',
      SURGE_INGEST_OPEN: 'false',
    });
    expect(set.envFor('rules-engine')).toEqual({ SURGE_INGEST_TOKEN: '' });
  });

  it('makes new tokens each run', () => {
    const again = generateIngestCredentials(dir, [{ service: 'local-pool', targets: ['demo/shop'] }]);
    expect(again.envFor('local-pool').SURGE_INGEST_TOKEN).not.toBe(set.envFor('local-pool').SURGE_INGEST_TOKEN);
  });
});
