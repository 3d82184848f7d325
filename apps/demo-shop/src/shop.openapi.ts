import { errorBodySchema } from '@surge/contracts';
import { z } from 'zod';
import { reserveRequestSchema } from './reserve-request';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('ErrorBody')) });
const answer = (description: string) => ({ description, content: json({ type: 'object' }) });
const shed = {
  '429': error('rate_limited: over the live rate limit of this endpoint (admin API)'),
  '503': error('degraded: the admin API turned this endpoint off'),
};
const { $schema: _dialect, ...reserveRequest } = z.toJSONSchema(reserveRequestSchema, { io: 'input' });
const { $schema: _errorDialect, ...errorBody } = z.toJSONSchema(errorBodySchema);

const admin = (summary: string, body: string, operation: string) => ({
  get: {
    operationId: `get${operation}`,
    summary,
    security: [{ adminToken: [] }],
    responses: { '200': answer('the value in force'), '401': error('missing or invalid admin token') },
  },
  put: {
    operationId: `set${operation}`,
    summary: `${summary}: stored for every copy; an Idempotency-Key makes a retry answer as the first call did`,
    security: [{ adminToken: [] }],
    parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
    requestBody: { required: true, content: json(ref(body)) },
    responses: {
      '200': answer('the value now in force'),
      '400': error('invalid value'),
      '401': error('missing or invalid admin token'),
      '422': error('idempotency_key_reused: the key was used for another request'),
    },
  },
});

/**
 * The demo shop's OpenAPI document, written by hand: the shop is plain node:http, so nothing generates it. The
 * reservation body comes from the zod schema that validates it. `shop.openapi.int-spec.ts` starts the real
 * server and checks every path and method listed here answers with a status listed here, and that what is not
 * listed answers 404 (or 405).
 */
export const SHOP_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Surge demo-shop',
    description:
      'The demo ticket shop one LocalPool copy serves, and its admin API (present when SURGE_SHOP_ADMIN_TOKEN is set) that the HttpEndpoint executor drives to shed load. Plain node:http; this document is written by hand and checked against the running server by a test.',
    version: '1',
  },
  paths: {
    '/health/live': { get: { operationId: 'live', responses: { '200': answer('the process is up') } } },
    '/health/ready': {
      get: {
        operationId: 'ready',
        responses: { '200': answer('PostgreSQL answers'), '503': answer('draining, or PostgreSQL away') },
      },
    },
    '/stats': {
      get: { operationId: 'stats', responses: { '200': answer('`{ inflight, served, draining, pid }` of this copy') } },
    },
    '/openapi.json': {
      get: { operationId: 'openapi', responses: { '200': { description: 'this document', content: json({}) } } },
    },
    '/reserve': {
      post: {
        operationId: 'reserve',
        summary: 'Reserve one seat; with a waiting room configured, only with its admission token',
        requestBody: { required: true, content: json(ref('ReserveRequest')) },
        responses: {
          '201': answer('`{ eventId, visitorId, seat }`'),
          '400': error('invalid reservation: `issues` names every bad field'),
          '403': error('not_admitted: the admission token was refused'),
          '409': error('sold_out or already_reserved'),
          ...shed,
        },
      },
    },
    '/recommendations': {
      get: { operationId: 'recommendations', responses: { '200': answer('`{ items }`'), ...shed } },
    },
    '/events/{eventId}': {
      get: {
        operationId: 'event',
        parameters: [
          {
            name: 'eventId',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' },
          },
        ],
        responses: {
          '200': answer('`{ eventId, capacity, reserved }`'),
          '500': error('fault: the demo fault (admin API) failed this page'),
          ...shed,
        },
      },
    },
    '/admin/rate-limits/{endpoint}': {
      parameters: [
        {
          name: 'endpoint',
          in: 'path',
          required: true,
          schema: { type: 'string', enum: ['reserve', 'events', 'recommendations'] },
        },
      ],
      ...admin('The rate limit of one endpoint, per copy and second', 'RateLimit', 'RateLimit'),
    },
    '/admin/degradation': admin('The degradation level', 'Degradation', 'Degradation'),
    '/admin/fault': admin('The demo fault: the percent of event pages that fail', 'Fault', 'Fault'),
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'SURGE_SHOP_ADMIN_TOKEN' } },
    schemas: {
      ErrorBody: errorBody,
      ReserveRequest: reserveRequest,
      RateLimit: {
        type: 'object',
        required: ['limitPerSecond'],
        additionalProperties: false,
        properties: { limitPerSecond: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
      },
      Degradation: {
        type: 'object',
        required: ['level'],
        additionalProperties: false,
        properties: { level: { type: 'integer', enum: [0, 1, 2] } },
      },
      Fault: {
        type: 'object',
        required: ['errorPercent'],
        additionalProperties: false,
        properties: { errorPercent: { type: 'integer', minimum: 0, maximum: 100 } },
      },
    },
  },
};
