import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AdminApi } from './admin/admin-api';
import { RECOMMENDATIONS } from './admin/recommendations';
import { type ShopEndpoint, ShopControls } from './admin/shop-controls';
import type { AdmissionVerifier } from './admission.verifier';
import { BadRequest, burnCpu, readJson, sendJson } from './http-io';
import { ServiceSlots } from './load/service-slots';
import type { ReservationRepository } from './reservation.repository';
import { EVENT_ID, reserveRequestSchema } from './reserve-request';
import { SHOP_OPENAPI } from './shop.openapi';

const OPS_PATH = /^\/(health\/|stats|admin\/|openapi\.json)/;

export interface ShopDeps {
  repository: ReservationRepository;
  /** Absent when no virtual queue is configured: the shop then sells to anyone. */
  verifier: AdmissionVerifier | null;
  workMs: number;
  /** Live rate limits and degradation level; unlimited enough for a demo when not given. */
  controls?: ShopControls;
  /** Absent when no admin token is configured: /admin/ then answers 404. */
  admin?: AdminApi | null;
  /** The load model (load/service-slots.ts); absent, every request is served at once. */
  load?: ShopLoadModel;
}

export interface ShopLoadModel {
  slots: number;
  serviceMs: number;
  /** What an event page's recommendations add, unless degradation turned them off. */
  recommendationsMs: number;
}

/** The shop's HTTP surface. It counts its own in-flight requests so a supervisor can check a copy is drained. */
export class ShopServer {
  readonly server: Server;
  private inflight = 0;
  private served = 0;
  private draining = false;
  private readonly controls: ShopControls;
  private readonly slots: ServiceSlots;

  constructor(private readonly deps: ShopDeps) {
    this.controls = deps.controls ?? new ShopControls(1_000_000);
    this.slots = new ServiceSlots(deps.load?.slots ?? 0);
    // handle() answers its own errors; one that escapes (a reply that cannot be written) ends the connection.
    this.server = createServer((req, res) => void this.handle(req, res).catch((error: Error) => res.destroy(error)));
    this.server.keepAliveTimeout = 5000;
  }

  stats(): { inflight: number; served: number; draining: boolean; pid: number } {
    return { inflight: this.inflight, served: this.served, draining: this.draining, pid: process.pid };
  }

  /** Readiness turns false first, then the server stops accepting and waits for the requests it holds. */
  async close(): Promise<void> {
    this.draining = true;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Probes and /stats are not shop work: counting them would make a drained copy report its own stats call.
    if (!OPS_PATH.test(req.url ?? '')) {
      this.inflight += 1;
      res.on('close', () => {
        this.inflight -= 1;
        this.served += 1;
      });
    }
    try {
      await this.route(req, res);
    } catch (error) {
      if (error instanceof BadRequest) return sendJson(res, 400, { error: 'bad_request', message: error.message });
      sendJson(res, 500, { error: 'internal', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://shop');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/health/live') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/health/ready') return this.ready(res);
    if (req.method === 'GET' && path === '/stats') return sendJson(res, 200, this.stats());
    if (req.method === 'GET' && path === '/openapi.json') return sendJson(res, 200, SHOP_OPENAPI);
    if (path.startsWith('/admin/') && this.deps.admin) return this.deps.admin.handle(req, res, path);
    if (req.method === 'POST' && path === '/reserve') {
      if (this.shed(res, 'reserve')) return;
      return this.reserve(req, res);
    }
    if (req.method === 'GET' && path === '/recommendations') {
      if (this.shed(res, 'recommendations')) return;
      burnCpu(this.deps.workMs);
      return sendJson(res, 200, { items: RECOMMENDATIONS });
    }
    const event = /^\/events\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && event && EVENT_ID.test(event[1]!)) {
      if (this.shed(res, 'events')) return;
      if (this.controls.faulted())
        return sendJson(res, 500, { error: 'fault', message: 'the demo fault failed this page' });
      const recommendations = this.controls.degradation() === 0 ? (this.deps.load?.recommendationsMs ?? 0) : 0;
      await this.slots.serve((this.deps.load?.serviceMs ?? 0) + recommendations);
      burnCpu(this.deps.workMs);
      return sendJson(res, 200, { eventId: event[1], ...(await this.deps.repository.availability(event[1]!)) });
    }
    sendJson(res, 404, { error: 'not_found', message: `no route ${req.method} ${path}` });
  }

  /** True when the request was answered 429 or 503 by the load-shedding controls. */
  private shed(res: ServerResponse, endpoint: ShopEndpoint): boolean {
    const refusal = this.controls.admit(endpoint);
    if (!refusal) return false;
    sendJson(res, refusal.status, refusal.body);
    return true;
  }

  private async ready(res: ServerResponse): Promise<void> {
    if (this.draining) return sendJson(res, 503, { status: 'draining' });
    try {
      await this.deps.repository.ping();
      sendJson(res, 200, { status: 'ready' });
    } catch (error) {
      sendJson(res, 503, { status: 'unavailable', message: (error as Error).message });
    }
  }

  private async reserve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = reserveRequestSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return sendJson(res, 400, { error: 'bad_request', message: 'invalid reservation', issues });
    }
    const { eventId, visitorId, token } = parsed.data;
    if (this.deps.verifier) {
      const verdict = await this.deps.verifier.verify(token);
      if (!verdict.valid)
        return sendJson(res, 403, { error: 'not_admitted', message: `admission token refused: ${verdict.reason}` });
    }
    burnCpu(this.deps.workMs);
    const outcome = await this.deps.repository.reserve(eventId, visitorId);
    if (outcome.status === 'reserved') return sendJson(res, 201, { eventId, visitorId, seat: outcome.seat });
    sendJson(res, 409, {
      error: outcome.status === 'sold-out' ? 'sold_out' : 'already_reserved',
      message: `event ${eventId}: ${outcome.status}`,
    });
  }
}
