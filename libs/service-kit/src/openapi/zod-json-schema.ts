import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export const COMPONENT_SCHEMAS = '#/components/schemas/';

/**
 * A zod schema as an OpenAPI 3.1 schema (JSON Schema 2020-12), as a client must send it: `io: 'input'`, so a
 * field with a default is optional. A check JSON Schema cannot say (a refine, a transform) is left to the
 * server's own validation. Definitions zod hoists (a cycle) become components of their own, named after
 * `name`, since a `#/$defs/…` pointer inside a component would resolve against the document root.
 */
export function zodComponents(name: string, schema: z.ZodType): Record<string, JsonSchema> {
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  const { $schema: _dialect, $defs, ...root } = generated;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const rename = (def: string) => `${name}_${def.replace(/^_+/, '')}`;
  const relink = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(relink);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
          ? [key, COMPONENT_SCHEMAS + rename(inner.slice('#/$defs/'.length))]
          : key === '$ref' && inner === '#'
            ? [key, COMPONENT_SCHEMAS + name]
            : [key, relink(inner)],
      ),
    );
  };
  const components: Record<string, JsonSchema> = { [name]: relink(root) as JsonSchema };
  for (const [def, body] of Object.entries(defs)) components[rename(def)] = relink(body) as JsonSchema;
  return components;
}

/** The query parameters a zod object accepts, one per field, each with its own schema and description. */
export function zodQueryParameters(schema: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { [name]: parameterSchema } = zodComponents(name, field as z.ZodType);
    const { description, ...rest } = parameterSchema as JsonSchema;
    return {
      name,
      in: 'query',
      required: !(field as z.ZodType).safeParse(undefined).success,
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}
