type Schema = Record<string, unknown>;
type Operation = {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
  'x-surge-role'?: string;
};
export interface OpenApiDocument {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation | unknown>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n+/g, ' ');

/** A schema in a few words: `string`, `integer ≥ 1`, `SampleBatch`, `array of MetricSample`, `"a" \| "b"`. */
export function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if (typeof schema['$ref'] === 'string') return `\`${schema['$ref'].split('/').pop()}\``;
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (schema['const'] !== undefined) return `\`${JSON.stringify(schema['const'])}\``;
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(schema[key]))
      return (schema[key] as Schema[]).map(typeOf).join(key === 'allOf' ? ' & ' : ' \\| ');
  const type = Array.isArray(schema['type']) ? (schema['type'] as string[]).join(' \\| ') : (schema['type'] as string);
  if (type === 'array') return `array of ${typeOf(schema['items'] as Schema) || 'any'}`;
  if (type === 'string' && schema['format']) return `string (${String(schema['format'])})`;
  const bounds = [
    schema['minimum'] !== undefined ? `≥ ${String(schema['minimum'])}` : '',
    schema['maximum'] !== undefined ? `≤ ${String(schema['maximum'])}` : '',
  ].filter(Boolean);
  return [type ?? 'any', ...bounds].join(' ');
}

function bodyOf(content: Record<string, { schema?: Schema }> | undefined): string {
  if (!content) return '';
  return Object.entries(content)
    .map(([media, { schema }]) => (schema && Object.keys(schema).length > 0 ? `${typeOf(schema)} (${media})` : media))
    .join(', ');
}

const authOf = (operation: Operation) =>
  operation.security?.length
    ? operation.security.map((alternative) => Object.keys(alternative).join(' + ')).join(' or ')
    : 'none';

function operationSection(path: string, method: string, operation: Operation): string[] {
  const lines = [`### ${method.toUpperCase()} \`${path}\``, ''];
  if (operation.summary) lines.push(operation.summary, '');
  if (operation.description) lines.push(operation.description, '');
  lines.push(
    `Auth: ${authOf(operation)}${operation['x-surge-role'] ? ` (role \`${operation['x-surge-role']}\`)` : ''}`,
    '',
  );
  if (operation.parameters?.length) {
    lines.push('| parameter | in | required | type | meaning |', '|---|---|---|---|---|');
    for (const p of operation.parameters)
      lines.push(
        `| \`${p.name}\` | ${p.in} | ${p.required ? 'yes' : ''} | ${typeOf(p.schema)} | ${cell(p.description)} |`,
      );
    lines.push('');
  }
  if (operation.requestBody)
    lines.push(
      `Request body${operation.requestBody.required ? '' : ' (optional)'}: ${bodyOf(operation.requestBody.content)}${operation.requestBody.description ? `. ${operation.requestBody.description}` : ''}`,
      '',
    );
  lines.push('| status | meaning | body |', '|---|---|---|');
  for (const [status, response] of Object.entries(operation.responses))
    lines.push(`| ${status} | ${cell(response.description)} | ${bodyOf(response.content)} |`);
  return [...lines, ''];
}

function schemaSection(name: string, schema: Schema): string[] {
  const lines = [`### ${name}`, ''];
  if (schema['description']) lines.push(String(schema['description']), '');
  const properties = schema['properties'] as Record<string, Schema> | undefined;
  if (!properties) return [...lines, `${typeOf(schema)}`, ''];
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  lines.push('| field | type | required | meaning |', '|---|---|---|---|');
  for (const [field, property] of Object.entries(properties))
    lines.push(
      `| \`${field}\` | ${typeOf(property)} | ${required.has(field) ? 'yes' : ''} | ${cell(property['description'] as string)} |`,
    );
  return [...lines, ''];
}

/** The Markdown reference of one document: every operation, its auth, parameters, body and answers, then the schemas. */
export function apiMarkdown(document: OpenApiDocument, jsonFile: string, origin: string): string {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => {
      // Parameters of the path item (a demo shop's `{endpoint}`) belong to each of its operations.
      const shared = (item['parameters'] ?? []) as NonNullable<Operation['parameters']>;
      const operation = item[m] as Operation;
      const parameters = [...shared, ...(operation.parameters ?? [])];
      return [path, m, { ...operation, parameters }] as const;
    }),
  );
  const lines = [
    `# ${document.info.title} HTTP API`,
    '',
    `<!-- Generated by \`npm run docs:api\` from the ${origin} OpenAPI document; do not edit. -->`,
    '',
    document.info.description ?? '',
    '',
    `The OpenAPI 3.1 document: [${jsonFile}](${jsonFile}), also served by the service at \`GET /openapi.json\`.`,
    '',
    '## Endpoints',
    '',
    '| method | path | auth | summary |',
    '|---|---|---|---|',
    ...operations.map(
      ([path, method, op]) => `| ${method.toUpperCase()} | \`${path}\` | ${authOf(op)} | ${cell(op.summary)} |`,
    ),
    '',
  ];
  const schemes = document.components?.securitySchemes ?? {};
  if (Object.keys(schemes).length > 0) {
    lines.push('## Authentication', '', '| scheme | kind | meaning |', '|---|---|---|');
    for (const [name, scheme] of Object.entries(schemes)) {
      const kind =
        scheme['type'] === 'http'
          ? `HTTP ${String(scheme['scheme'])}`
          : `${String(scheme['in'])} \`${String(scheme['name'])}\``;
      lines.push(`| \`${name}\` | ${kind} | ${cell(scheme['description'] as string)} |`);
    }
    lines.push('');
  }
  lines.push('## Operations', '', ...operations.flatMap(([path, method, op]) => operationSection(path, method, op)));
  const schemas = document.components?.schemas ?? {};
  if (Object.keys(schemas).length > 0)
    lines.push('## Schemas', '', ...Object.entries(schemas).flatMap(([name, schema]) => schemaSection(name, schema)));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
