import type { z } from 'zod';

/** The engine could not be asked, or answered something else than the contract: surgectl exits with 2. */
export class EngineRequestError extends Error {
  override readonly name = 'EngineRequestError';
}

export interface EngineOptions {
  engine: string;
  /** SURGE_ADMIN_TOKEN: the engine's read API takes the admin token, as every Surge API does. */
  token?: string;
}

/**
 * One GET of the rules engine's read API, validated against the contract the engine answers with. A 404 is
 * returned as undefined: "no such target" is an answer, not a failure.
 */
export async function engineGet<T extends z.ZodType>(
  options: EngineOptions,
  path: string,
  schema: T,
): Promise<z.output<T> | undefined> {
  const url = new URL(path, options.engine.endsWith('/') ? options.engine : `${options.engine}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new EngineRequestError(`cannot reach the rules engine at ${url.origin}: ${(error as Error).message}`);
  }
  if (response.status === 404) return undefined;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message;
    const hint = response.status === 401 && !options.token ? ' (set SURGE_ADMIN_TOKEN)' : '';
    throw new EngineRequestError(
      `GET ${url.pathname}: ${response.status} ${String(message ?? response.statusText)}${hint}`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new EngineRequestError(`GET ${url.pathname}: not the expected answer: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The engine options every networked command takes: --engine (or SURGE_ENGINE_URL) and SURGE_ADMIN_TOKEN. */
export function engineOptions(engine: string, env: NodeJS.ProcessEnv = process.env): EngineOptions {
  const token = env['SURGE_ADMIN_TOKEN'];
  return { engine, ...(token ? { token } : {}) };
}
