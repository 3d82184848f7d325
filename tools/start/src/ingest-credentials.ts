import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A process of the demo that POSTs samples to metrics-ingest, and the targets it reports. */
export interface Reporter {
  /** The service (from service-catalog) that reports. */
  service: string;
  targets: string[];
}

export interface IngestCredentialSet {
  tokensFile: string;
  /** Extra environment per service: each reporter gets its own token, ingest the tokens file. */
  envFor(service: string): NodeJS.ProcessEnv;
}

/**
 * Fresh credentials for one `npm start` run: a random 32-byte token per reporter, and a tokens file holding only
 * their SHA-256 and the targets each may write, mode 600, in the run's own state directory. Ingest gets the file
 * and never a token; a reporter gets its token and nothing else, so no process of the demo can write a target it
 * does not report.
 */
export function generateIngestCredentials(stateDir: string, reporters: readonly Reporter[]): IngestCredentialSet {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const tokens = new Map(reporters.map((r) => [r.service, randomBytes(32).toString('base64url')]));
  const lines = ['# Written by npm start for this run: SHA-256 of each reporter token, never the token.', 'sources:'];
  for (const reporter of reporters) {
    const hash = createHash('sha256').update(tokens.get(reporter.service)!).digest('hex');
    lines.push(
      `  - name: ${reporter.service}`,
      `    tokenSha256: ${hash}`,
      `    targets: [${reporter.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    );
  }
  const tokensFile = path.join(stateDir, 'ingest-tokens.yaml');
  writeFileSync(tokensFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  return {
    tokensFile,
    envFor(service) {
      if (service === 'metrics-ingest')
        // A SURGE_INGEST_TOKEN in the shell npm start runs in would be a second, any-target credential.
        return { SURGE_INGEST_TOKENS_FILE: tokensFile, SURGE_INGEST_TOKEN: '', SURGE_INGEST_OPEN: 'false' };
      const token = tokens.get(service);
      return token ? { SURGE_INGEST_TOKEN: token } : { SURGE_INGEST_TOKEN: '' };
    },
  };
}
