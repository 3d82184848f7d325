import { ExecutorError, ExecutorErrorCode } from '@surge/executor-framework';
import { Client, DatabaseError } from 'pg';

/**
 * Runs work on a short-lived connection. Executors act a few times a minute, so a connection per action costs
 * nothing, and a fresh backend is what sees the configuration after pg_reload_conf() / RELOAD.
 */
export async function withConnection<T>(
  url: string | null,
  what: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  if (!url)
    throw new ExecutorError(
      ExecutorErrorCode.Invalid,
      `${what}: the target needs a connection (env or secretFile holding a postgres:// URL)`,
    );
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    throw toExecutorError(error, what);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Server errors with an SQLSTATE are permanent answers (syntax, privilege, unknown object); the rest may pass. */
export function toExecutorError(error: unknown, what: string): ExecutorError {
  if (error instanceof ExecutorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DatabaseError) {
    const code =
      error.code === '42501'
        ? ExecutorErrorCode.Forbidden
        : error.code?.startsWith('08') || error.code?.startsWith('57')
          ? ExecutorErrorCode.Unavailable
          : ExecutorErrorCode.Invalid;
    return new ExecutorError(code, `${what}: ${message}${error.code ? ` (SQLSTATE ${error.code})` : ''}`, {
      cause: error,
    });
  }
  return new ExecutorError(ExecutorErrorCode.Unavailable, `${what}: ${message}`, { cause: error });
}

/** Double-quotes an identifier for SQL, for names that come from the targets file (never from a decision). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
