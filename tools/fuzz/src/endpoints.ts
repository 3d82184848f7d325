import fc from 'fast-check';
import type { FuzzRequest, HttpEndpoint } from './http-fuzzer';
import { badContentType, badJsonBody, badSegment } from './inputs/json-inputs';
import { badRemoteWriteBody } from './inputs/remote-write-inputs';
import { AUDIT_ADMIN_TOKEN, FUZZ_ROOM, type FuzzServices, INGEST_TOKEN, QUEUE_ADMIN_TOKEN } from './services';

/** Mostly the right credential (so the input reaches validation), sometimes none, a wrong or a huge one. */
function authHeader(token: string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant({ authorization: `Bearer ${token}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 2000, maxLength: 6000 }))
        .map((s) => ({ authorization: `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}` })),
    },
  );
}

const forwardedFor = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

/** A path segment: usually a plausible value, often a hostile one. */
const segment = (plausible: string) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(plausible) }, { weight: 2, arbitrary: badSegment });

function jsonRequest(
  method: string,
  path: fc.Arbitrary<string>,
  fields: string[],
  auth: fc.Arbitrary<Record<string, string>>,
): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(path, badJsonBody(fields), badContentType, auth).map(([p, body, contentType, headers]) => ({
    method,
    path: p,
    headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  }));
}

const query = (names: string[]) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), badSegment), badSegment), { maxLength: 6 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

const bodyless = (method: string, path: fc.Arbitrary<string>, auth: fc.Arbitrary<Record<string, string>>) =>
  fc.tuple(path, auth).map(([p, headers]): FuzzRequest => ({ method, path: p, headers }));

/** Every HTTP endpoint of every service (long-lived SSE streams aside), with what to throw at it. */
export function httpEndpoints(services: FuzzServices): HttpEndpoint[] {
  const ingest = () => services.ingestUrl;
  const queue = () => services.queueUrl;
  const audit = () => services.auditUrl;
  const ingestAuth = authHeader(INGEST_TOKEN);
  const queueAdmin = authHeader(QUEUE_ADMIN_TOKEN);
  const auditAdmin = authHeader(AUDIT_ADMIN_TOKEN);
  const none = fc.constant({});
  const live = '/health/live';
  const room = segment(FUZZ_ROOM);
  const ticket = segment('00000000-0000-4000-8000-000000000000');
  return [
    {
      name: 'metrics-ingest POST /v1/samples',
      baseUrl: ingest,
      livenessPath: live,
      requests: jsonRequest('POST', fc.constant('/v1/samples'), ['samples', 'target', 'metric', 'value'], ingestAuth),
    },
    {
      name: 'metrics-ingest POST /api/v1/write',
      baseUrl: ingest,
      livenessPath: live,
      requests: fc
        .tuple(badRemoteWriteBody, ingestAuth, fc.constantFrom('application/x-protobuf', 'application/json', ''))
        .map(([body, headers, contentType]) => ({
          method: 'POST',
          path: '/api/v1/write',
          headers: {
            ...headers,
            ...(contentType ? { 'content-type': contentType } : {}),
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
          body,
        })),
    },
    {
      name: 'virtual-queue POST /v1/rooms/:room/join',
      baseUrl: queue,
      livenessPath: live,
      requests: fc
        .tuple(
          jsonRequest(
            'POST',
            room.map((r) => `/v1/rooms/${r}/join`),
            ['visitorId'],
            none,
          ),
          forwardedFor,
        )
        .map(([request, ip]) => ({ ...request, headers: { ...request.headers, 'x-forwarded-for': ip } })),
    },
    {
      name: 'virtual-queue GET, POST, DELETE /v1/rooms/:room/tickets/:id',
      baseUrl: queue,
      livenessPath: live,
      requests: fc
        .tuple(room, ticket, fc.constantFrom(['GET', ''], ['POST', '/heartbeat'], ['DELETE', '']))
        .map(([r, t, [method, suffix]]) => ({
          method: method!,
          path: `/v1/rooms/${r}/tickets/${t}${suffix}`,
          headers: {},
        })),
    },
    {
      name: 'virtual-queue GET /rooms/:room (waiting page)',
      baseUrl: queue,
      livenessPath: live,
      requests: bodyless(
        'GET',
        fc.tuple(room, query(['ticket', 'return'])).map(([r, q]) => `/rooms/${r}${q}`),
        none,
      ),
    },
    {
      name: 'virtual-queue PUT /v1/admin/rooms/:room',
      baseUrl: queue,
      livenessPath: live,
      requests: jsonRequest(
        'PUT',
        room.map((r) => `/v1/admin/rooms/${r}`),
        ['maxActive', 'sessionSeconds', 'redirectUrl', 'mode', 'admitPerSecond'],
        queueAdmin,
      ),
    },
    {
      name: 'virtual-queue GET stats, POST tickets/:id/complete (admin)',
      baseUrl: queue,
      livenessPath: live,
      requests: fc.oneof(
        bodyless(
          'GET',
          room.map((r) => `/v1/admin/rooms/${r}/stats`),
          queueAdmin,
        ),
        bodyless(
          'POST',
          fc.tuple(room, ticket).map(([r, t]) => `/v1/admin/rooms/${r}/tickets/${t}/complete`),
          queueAdmin,
        ),
      ),
    },
    {
      name: 'virtual-queue POST /v1/tokens/verify',
      baseUrl: queue,
      livenessPath: live,
      requests: jsonRequest('POST', fc.constant('/v1/tokens/verify'), ['token', 'room'], none),
    },
    {
      name: 'audit-log GET /v1/audit/events',
      baseUrl: audit,
      livenessPath: live,
      requests: bodyless(
        'GET',
        query(['target', 'type', 'decisionId', 'status', 'from', 'to', 'limit', 'cursor']).map(
          (q) => `/v1/audit/events${q}`,
        ),
        auditAdmin,
      ),
    },
    {
      name: 'audit-log GET /v1/audit/decisions/:id, deadletters/summary',
      baseUrl: audit,
      livenessPath: live,
      requests: fc.oneof(
        bodyless(
          'GET',
          segment('00000000-0000-4000-8000-000000000000').map((id) => `/v1/audit/decisions/${id}`),
          auditAdmin,
        ),
        bodyless('GET', fc.constant('/v1/audit/deadletters/summary'), auditAdmin),
      ),
    },
    {
      name: 'console POST /v1/session (login), /v1/session/logout',
      baseUrl: audit,
      livenessPath: live,
      requests: jsonRequest('POST', fc.constantFrom('/v1/session', '/v1/session/logout'), ['token'], none),
    },
    {
      name: 'control API POST /v1/control/:action',
      baseUrl: audit,
      livenessPath: live,
      requests: jsonRequest(
        'POST',
        segment('pause').map((a) => `/v1/control/${a}`),
        ['policy', 'reason'],
        auditAdmin,
      ),
    },
  ];
}
