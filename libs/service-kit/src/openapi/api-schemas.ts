import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { COMPONENT_SCHEMAS, zodQueryParameters } from './zod-json-schema';

/**
 * The zod schemas named in decorators, by component name. Filled when the controllers' modules load; a
 * document takes the ones its operations refer to, so each service lists only its own.
 */
const NAMED_SCHEMAS = new Map<string, z.ZodType>();

export function namedSchemas(): ReadonlyMap<string, z.ZodType> {
  return NAMED_SCHEMAS;
}

/** Registers `schema` as the component `name` and returns the reference to it. */
export function schemaRef(name: string, schema: z.ZodType): { $ref: string } {
  const known = NAMED_SCHEMAS.get(name);
  if (known && known !== schema) throw new Error(`two zod schemas are named ${name} in the OpenAPI document`);
  NAMED_SCHEMAS.set(name, schema);
  return { $ref: COMPONENT_SCHEMAS + name };
}

/** A response whose body is the zod schema's (the contract a client parses it with). */
export function ApiZodResponse(status: number, name: string, schema: z.ZodType, description = '') {
  return ApiResponse({ status, description, content: { 'application/json': { schema: schemaRef(name, schema) } } });
}

/** The query parameters a handler validates with this zod object, each one documented from its field. */
export function ApiZodQuery(schema: z.ZodObject) {
  return applyDecorators(
    ...zodQueryParameters(schema).map((parameter) => ApiQuery(parameter as unknown as Parameters<typeof ApiQuery>[0])),
  );
}

/** A JSON request body documented by a zod schema (where no ZodValidationPipe says it already). */
export function ApiZodBody(name: string, schema: z.ZodType, description?: string) {
  return ApiBody({ required: true, description, schema: schemaRef(name, schema) });
}

/** Error answers by status, each an ErrorBody (the document adds the schema): `{ 404: 'no such room' }`. */
export function ApiErrors(errors: Record<number, string>) {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), description })),
  );
}
