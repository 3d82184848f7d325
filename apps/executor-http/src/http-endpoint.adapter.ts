import { HTTP_ENDPOINT_KIND, type HttpSetting } from '@surge/executor-core';
import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';
import { callAdminApi } from './admin-api.client';
import { urlOf } from './base-url-allowlist';
import { resolvePointer } from './json-pointer';
import { numberOf, renderBody } from './request-body';

export interface HttpEndpointOptions {
  /** Target id → base URL, resolved and allowlisted at boot (resolveHttpEndpoints). */
  baseUrls: ReadonlyMap<string, string>;
  timeoutMs: number;
}

/**
 * An application's own admin API (rate limits, feature flags, degradation modes, circuit breakers): each setting
 * is one request the targets file describes, and a GET plus a JSON pointer that reads it back.
 */
export class HttpEndpointAdapter implements Executor {
  readonly kinds = [HTTP_ENDPOINT_KIND] as const;

  constructor(private readonly options: HttpEndpointOptions) {}

  async read(target: ResolvedTarget, setting: string): Promise<number> {
    const spec = settingOf(target, setting);
    const url = this.urlFor(target, spec.read.path);
    const document = await callAdminApi({ method: 'GET', url, token: tokenOf(target) }, this.options.timeoutMs);
    const value = numberOf(resolvePointer(document, spec.read.pointer));
    if (value === null)
      throw new ExecutorError(
        ExecutorErrorCode.Invalid,
        `GET ${url}: ${spec.read.pointer} is not a number or boolean in the answer`,
      );
    return value;
  }

  async check(target: ResolvedTarget, setting: string): Promise<void> {
    settingOf(target, setting);
  }

  async apply(target: ResolvedTarget, setting: string, value: number, ctx: ApplyContext): Promise<void> {
    const spec = settingOf(target, setting);
    await callAdminApi(
      {
        method: spec.method,
        url: this.urlFor(target, spec.path),
        token: tokenOf(target),
        body: renderBody(spec.body, value),
        // Per decision and setting: a retry after a timeout is the same change, which the app applies once.
        idempotencyKey: `${ctx.decision.decisionId}:${setting}`,
      },
      this.options.timeoutMs,
    );
  }

  async observe(target: ResolvedTarget): Promise<Record<string, number>> {
    const observed: Record<string, number> = {};
    for (const setting of Object.keys(target.entry.settings ?? {}))
      observed[setting] = await this.read(target, setting);
    return observed;
  }

  /** Only a base URL checked at boot is ever called: no code path can reach one the allowlist does not hold. */
  private urlFor(target: ResolvedTarget, path: string): string {
    const baseUrl = this.options.baseUrls.get(target.entry.id);
    if (!baseUrl)
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `${target.entry.id} was not checked against the allowlist at boot`,
      );
    return urlOf(baseUrl, path);
  }
}

function settingOf(target: ResolvedTarget, setting: string): HttpSetting {
  const spec = target.entry.settings?.[setting];
  if (!spec)
    throw new ExecutorError(
      ExecutorErrorCode.Refused,
      `${target.entry.id} has no setting ${setting}; its targets file names ${Object.keys(target.entry.settings ?? {}).join(', ')}`,
    );
  return spec;
}

function tokenOf(target: ResolvedTarget): string {
  if (!target.connection)
    throw new ExecutorError(ExecutorErrorCode.Invalid, `${target.entry.id}: its connection holds no bearer token`);
  return target.connection;
}
