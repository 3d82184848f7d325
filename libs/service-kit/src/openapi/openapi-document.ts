import type { INestApplication } from '@nestjs/common';
import { errorBodySchema } from '@surge/contracts';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule } from '@nestjs/swagger';
import type { z } from 'zod';
import { namedSchemas } from './api-schemas';
import { documentRoute, ERROR_BODY } from './route-documentation';
import { routeIndex } from './route-index';
import { COMPONENT_SCHEMAS, zodComponents } from './zod-json-schema';

export const OPENAPI_PATH = '/openapi.json';

/** The version of the HTTP APIs the documents describe: their paths say `/v1/`. */
const API_VERSION = '1';

export interface OpenApiOptions {
  /** The service's name: the document's title. */
  name: string;
  /** Whether this app accepts the console's session cookie (it hosts the console). */
  consoleSessions: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function referencedComponents(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedComponents(item, found);
  else if (value !== null && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith(COMPONENT_SCHEMAS))
        found.add(inner.slice(COMPONENT_SCHEMAS.length));
      else referencedComponents(inner, found);
    }
  return found;
}

const sorted = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The service's OpenAPI 3.1 document, generated from its controllers: Nest's scanner reads the routes and their
 * decorators, then each operation is completed from its handler's zod pipe and guards (route-documentation.ts).
 * It reads metadata only, so the docs tool builds the same document from an app created in preview mode,
 * without Kafka, Redis or PostgreSQL.
 */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`Surge ${options.name}`)
    .setDescription(
      `The HTTP API of Surge's ${options.name}. Every error answer is an \`${ERROR_BODY}\`; a 400 from validation lists every bad field in \`issues\`.`,
    )
    .setVersion(API_VERSION)
    .setOpenAPIVersion('3.1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const routes = routeIndex(app);
  const schemas = new Map<string, z.ZodType>([[ERROR_BODY, errorBodySchema]]);
  const schemes: NonNullable<OpenAPIObject['components']>['securitySchemes'] = {};
  for (const pathItem of Object.values(document.paths))
    for (const method of METHODS) {
      const operation = pathItem[method] as OperationObject | undefined;
      const route = operation?.operationId ? routes.get(operation.operationId) : undefined;
      if (!operation || !route) continue;
      const documented = documentRoute(operation, route, method, options.consoleSessions);
      for (const [name, schema] of documented.schemas) schemas.set(name, schema);
      Object.assign(schemes, documented.schemes);
    }
  document.paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      description: 'Public like /metrics: it says what the API accepts, never what it holds.',
      tags: ['Observability'],
      responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } },
    },
  };
  for (const name of referencedComponents(document.paths)) {
    const named = namedSchemas().get(name);
    if (named && !schemas.has(name)) schemas.set(name, named);
  }
  const components: Record<string, unknown> = {};
  for (const [name, schema] of schemas) Object.assign(components, zodComponents(name, schema));
  const missing = [...referencedComponents(document.paths)].filter((name) => !(name in components));
  if (missing.length > 0) throw new Error(`OpenAPI document refers to unknown schemas: ${missing.join(', ')}`);
  return {
    openapi: document.openapi,
    info: { title: document.info.title, description: document.info.description, version: document.info.version },
    paths: sorted(document.paths),
    components: {
      schemas: sorted(components) as NonNullable<OpenAPIObject['components']>['schemas'],
      ...(Object.keys(schemes).length > 0 ? { securitySchemes: sorted(schemes) } : {}),
    },
  };
}
