import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { targetsFileSchema } from '@surge/executor-core';
import { policyDocument } from '@surge/policy';
import { roomsFileSchema } from '@surge/queue-core';
import { z } from 'zod';

/** The files users write by hand, each with the zod schema that validates it and the examples written in it. */
export const SCHEMA_FILES = [
  {
    file: 'scaling-policy.schema.json',
    title: 'Surge ScalingPolicy',
    schema: policyDocument,
    examples: (root: string) => yamlIn(root, 'examples/policies', 'examples/demo', 'k8s/base/config/policies'),
  },
  {
    file: 'targets-file.schema.json',
    title: 'Surge targets file',
    schema: targetsFileSchema,
    examples: (root: string) => yamlIn(root, 'examples/targets'),
  },
  {
    file: 'rooms-file.schema.json',
    title: 'Surge waiting rooms file',
    schema: roomsFileSchema,
    examples: (root: string) => yamlIn(root, 'examples/rooms'),
  },
] as const;

export const SCHEMAS_DIR = 'schemas';

/**
 * The JSON Schema of one file kind, from its zod schema: what a user may write (`io: 'input'`, so a field
 * with a default is optional and a duration may be `5m` or a number of seconds). A check zod cannot say in
 * JSON Schema (a cron expression's grammar, a condition's syntax) is left to Surge's own validation.
 */
export function jsonSchemaOf(entry: (typeof SCHEMA_FILES)[number]): string {
  const generated = z.toJSONSchema(entry.schema as z.ZodType, { io: 'input', unrepresentable: 'any' });
  const document = { ...generated, $id: `https://surge.dev/${SCHEMAS_DIR}/${entry.file}`, title: entry.title };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The line yaml-language-server reads: an example's editor then completes and checks it against its schema. */
export function schemaLine(root: string, example: string, file: string): string {
  const relative = path.relative(path.dirname(path.join(root, example)), path.join(root, SCHEMAS_DIR, file));
  return `# yaml-language-server: $schema=${relative.split(path.sep).join('/')}`;
}

/** The example with its schema line first, replacing an older one: idempotent. */
export function withSchemaLine(text: string, line: string): string {
  const lines = text.split('\n');
  if (lines[0]?.startsWith('# yaml-language-server:')) lines.shift();
  return [line, ...lines].join('\n');
}

function yamlIn(root: string, ...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(dir, name)),
  );
}

export function readText(root: string, file: string): string {
  return readFileSync(path.join(root, file), 'utf8');
}
