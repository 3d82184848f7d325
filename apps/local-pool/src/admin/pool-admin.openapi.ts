import { errorBodySchema } from '@surge/contracts';
import { z } from 'zod';

const { $schema: _dialect, ...errorBody } = z.toJSONSchema(errorBodySchema);
const json = (schema: object) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/ErrorBody' }) });
const health = (description: string) => ({ description, content: json({ type: 'object' }) });

/**
 * The pool admin API's OpenAPI document, written by hand: the server is plain node:http, so nothing generates
 * it. `pool-admin.openapi.spec.ts` starts the real server and checks every path and method listed here
 * answers with a status listed here, and that a path or method not listed answers 404 (or 405).
 */
export const POOL_ADMIN_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Surge local-pool',
    description:
      'The admin API of the LocalPool target: N copies of the demo shop behind one proxy, resized by executor-localpool. Plain node:http; this document is written by hand and checked against the running server by a test.',
    version: '1',
  },
  paths: {
    '/health/live': { get: { operationId: 'live', responses: { '200': health('the process is up') } } },
    '/health/ready': {
      get: {
        operationId: 'ready',
        responses: {
          '200': health('at least one copy is ready, or none is wanted'),
          '503': health('no copy ready yet: `{ status: "starting", ready, desired }`'),
        },
      },
    },
    '/openapi.json': {
      get: { operationId: 'openapi', responses: { '200': { description: 'this document', content: json({}) } } },
    },
    '/v1/pool': {
      get: {
        operationId: 'getPool',
        summary: 'The pool: desired, ready, starting and draining copies, the last drains, the latest figures',
        responses: {
          '200': { description: 'the pool status', content: json({ $ref: '#/components/schemas/PoolView' }) },
        },
      },
      put: {
        operationId: 'setPool',
        summary: 'Resize the pool: absolute, so a retried call changes nothing',
        security: [{ adminToken: [] }],
        parameters: [
          {
            name: 'wait',
            in: 'query',
            required: false,
            description: '`true`: answer only once the pool has reached the size',
            schema: { type: 'string', enum: ['true', 'false'] },
          },
        ],
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/PoolSize' }) },
        responses: {
          '202': {
            description: 'accepted (reached, with wait=true)',
            content: json({ $ref: '#/components/schemas/PoolStatus' }),
          },
          '400': error('invalid pool size (`issues` names replicas) or a body that is not JSON'),
          '401': error('missing or invalid Authorization: Bearer <SURGE_ADMIN_TOKEN>'),
        },
      },
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'SURGE_ADMIN_TOKEN' } },
    schemas: {
      ErrorBody: errorBody,
      PoolSize: {
        type: 'object',
        required: ['replicas'],
        properties: {
          replicas: { type: 'integer', minimum: 0, description: 'At most SURGE_POOL_MAX_REPLICAS' },
        },
      },
      PoolStatus: {
        type: 'object',
        required: ['desired', 'ready', 'starting', 'draining', 'replicas', 'drains'],
        properties: {
          desired: { type: 'integer' },
          ready: { type: 'integer' },
          starting: { type: 'integer' },
          draining: { type: 'integer' },
          replicas: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                pid: { type: 'integer' },
                port: { type: 'integer' },
                state: { type: 'string' },
                proxyInflight: { type: 'integer' },
              },
            },
          },
          drains: {
            type: 'array',
            description: 'The last drains; inflightAtStop is 0 for a clean one',
            items: {
              type: 'object',
              properties: {
                replicaId: { type: 'string' },
                inflightAtStop: { type: 'integer' },
                drainMs: { type: 'number' },
                timedOut: { type: 'boolean' },
                stoppedAt: { type: 'integer' },
              },
            },
          },
        },
      },
      PoolView: {
        allOf: [
          { $ref: '#/components/schemas/PoolStatus' },
          {
            type: 'object',
            properties: {
              figures: {
                description: 'The figures last reported to metrics-ingest (null before the first)',
                type: ['object', 'null'],
                additionalProperties: { type: 'number' },
              },
            },
          },
        ],
      },
    },
  },
} as const;
