import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '@surge/config';
import { compileTargetPatterns, type TargetMatcher } from './target-pattern';
import { readTokensFile } from './tokens-file';
import { weakTokenReason } from './token-strength';

/** Who wrote a request, and what it may write. */
export interface IngestSource {
  name: string;
  mayWrite: TargetMatcher;
}

/** The one source of an ingest started with SURGE_INGEST_OPEN=true and no credential: anyone, any target. */
export const OPEN_SOURCE: IngestSource = { name: 'open', mayWrite: () => true };

interface Entry {
  hash: Buffer;
  source: IngestSource;
}

export interface CredentialSettings {
  SURGE_INGEST_TOKEN?: string;
  SURGE_INGEST_TOKENS_FILE?: string;
  SURGE_INGEST_OPEN: boolean;
}

/** No credential, a weak one, or a bad tokens file: ingest refuses to start, as for any invalid configuration. */
export class IngestCredentialsError extends ConfigurationError {
  override readonly name = 'IngestCredentialsError';
}

const sha256 = (token: string) => createHash('sha256').update(token).digest();

/**
 * The credentials ingest accepts, keyed by the SHA-256 of the token: a request costs one hash and one map lookup
 * whatever the number of sources, and the final comparison is constant-time, so timing reveals nothing about
 * which bytes of a guess were right. Only hashes are kept in memory, like in the tokens file.
 */
export class IngestCredentials {
  private constructor(
    private readonly byHash: ReadonlyMap<string, Entry>,
    /** True when no credential is configured and SURGE_INGEST_OPEN=true said that is intended. */
    readonly open: boolean,
  ) {}

  /** Refuses to build (so ingest refuses to start) without a credential, unless open is explicitly asked for. */
  static fromSettings(settings: CredentialSettings): IngestCredentials {
    const byHash = new Map<string, Entry>();
    const add = (hash: Buffer, name: string, patterns: readonly string[]) => {
      const hex = hash.toString('hex');
      if (byHash.has(hex)) throw new IngestCredentialsError(`source "${name}" reuses the token of another source`);
      byHash.set(hex, { hash, source: { name, mayWrite: compileTargetPatterns(patterns) } });
    };
    if (settings.SURGE_INGEST_TOKEN !== undefined) {
      const weak = weakTokenReason(settings.SURGE_INGEST_TOKEN);
      if (weak) throw new IngestCredentialsError(`SURGE_INGEST_TOKEN ${weak}`);
      add(sha256(settings.SURGE_INGEST_TOKEN), 'token', ['**']);
    }
    if (settings.SURGE_INGEST_TOKENS_FILE !== undefined) {
      try {
        for (const source of readTokensFile(settings.SURGE_INGEST_TOKENS_FILE))
          add(Buffer.from(source.tokenSha256, 'hex'), source.name, source.targets);
      } catch (error) {
        throw new IngestCredentialsError((error as Error).message);
      }
    }
    if (byHash.size === 0 && !settings.SURGE_INGEST_OPEN)
      throw new IngestCredentialsError(
        'metrics-ingest has no credential: set SURGE_INGEST_TOKENS_FILE (named sources with the SHA-256 of their ' +
          'token and the targets each may write) or SURGE_INGEST_TOKEN (one token, any target); ' +
          'SURGE_INGEST_OPEN=true runs it without authentication, for a trusted network only',
      );
    return new IngestCredentials(byHash, byHash.size === 0);
  }

  /** The source a presented token belongs to, or null. */
  authenticate(token: string): IngestSource | null {
    const hash = sha256(token);
    const entry = this.byHash.get(hash.toString('hex'));
    return entry && timingSafeEqual(entry.hash, hash) ? entry.source : null;
  }

  get sourceNames(): string[] {
    return [...this.byHash.values()].map((entry) => entry.source.name);
  }
}
