import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readJson, sendJson } from '../http-io';
import type { AdminStore, StoredResponse } from './admin-store';
import {
  DEGRADATION,
  DEGRADATION_LEVELS,
  FAULT,
  isShopEndpoint,
  rateLimitName,
  type ShopControls,
  type ShopEndpoint,
} from './shop-controls';

const RATE_LIMIT = /^\/admin\/rate-limits\/([a-z]+)$/;
const rateLimitBody = z.object({ limitPerSecond: z.number().int().min(1).max(1_000_000) }).strict();
const degradationBody = z
  .object({ level: z.number().refine((l) => (DEGRADATION_LEVELS as readonly number[]).includes(l), 'level 0, 1 or 2') })
  .strict();
const faultBody = z.object({ errorPercent: z.number().int().min(0).max(100) }).strict();
const FAULT_PATH = '/admin/fault';

/**
 * The shop's admin API, which Surge's HttpEndpoint executor drives to shed load: per-endpoint rate limits and the
 * degradation level, behind a bearer token. A PUT carrying an Idempotency-Key is applied once per key.
 */
export class AdminApi {
  private readonly token: Buffer;

  constructor(
    private readonly controls: ShopControls,
    private readonly store: AdminStore,
    token: string,
  ) {
    this.token = Buffer.from(token);
  }

  /** Answers every /admin/ request. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!this.authorized(req.headers.authorization))
      return sendJson(res, 401, { error: 'unauthorized', message: 'a valid admin bearer token is required' });
    const answer = await this.answer(req, path);
    sendJson(res, answer.status, answer.body);
  }

  private async answer(req: IncomingMessage, path: string): Promise<StoredResponse> {
    const named = RATE_LIMIT.exec(path)?.[1];
    if (named !== undefined && !isShopEndpoint(named))
      return { status: 404, body: { error: 'not_found', message: `no endpoint ${named}` } };
    const endpoint = named as ShopEndpoint | undefined;
    if (endpoint === undefined && path !== '/admin/degradation' && path !== FAULT_PATH)
      return { status: 404, body: { error: 'not_found', message: `no route ${req.method} ${path}` } };
    const read = (): StoredResponse =>
      endpoint !== undefined
        ? { status: 200, body: { endpoint, limitPerSecond: this.controls.rateLimit(endpoint) } }
        : path === FAULT_PATH
          ? { status: 200, body: { errorPercent: this.controls.faultErrorPercent() } }
          : { status: 200, body: { level: this.controls.degradation() } };
    // The store is the truth: this copy may not have synced yet what another copy was just told.
    this.controls.sync(await this.store.values());
    if (req.method === 'GET') return read();
    if (req.method !== 'PUT') return { status: 405, body: { error: 'method_not_allowed', message: 'GET or PUT' } };

    const body = await readJson(req);
    const key = req.headers['idempotency-key'];
    const fingerprint = createHash('sha256')
      .update(`PUT ${path} ${JSON.stringify(body)}`)
      .digest('hex');
    if (typeof key === 'string') {
      const seen = await this.store.recall(key);
      if (seen?.fingerprint === fingerprint) return seen.response;
      if (seen)
        return {
          status: 422,
          body: { error: 'idempotency_key_reused', message: `key ${key} was used for another request` },
        };
    }
    const response = (await this.change(endpoint, path, body)) ?? read();
    if (typeof key === 'string') await this.store.remember(key, { fingerprint, response });
    return response;
  }

  /** Stores the change, then applies it here at once (other copies on their next sync); a refusal is the answer. */
  private async change(
    endpoint: ShopEndpoint | undefined,
    path: string,
    body: unknown,
  ): Promise<StoredResponse | null> {
    const parsed =
      endpoint !== undefined
        ? rateLimitBody.transform((b) => ({ name: rateLimitName(endpoint), value: b.limitPerSecond })).safeParse(body)
        : path === FAULT_PATH
          ? faultBody.transform((b) => ({ name: FAULT, value: b.errorPercent })).safeParse(body)
          : degradationBody.transform((b) => ({ name: DEGRADATION, value: b.level })).safeParse(body);
    if (!parsed.success) return badRequest(parsed.error);
    await this.store.set(parsed.data.name, parsed.data.value);
    this.controls.sync(await this.store.values());
    return null;
  }

  private authorized(header: string | undefined): boolean {
    const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}

function badRequest(error: z.ZodError): StoredResponse {
  const message = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return { status: 400, body: { error: 'bad_request', message } };
}
