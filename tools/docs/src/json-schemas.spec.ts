import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, readText, SCHEMA_FILES, SCHEMAS_DIR, schemaLine } from './json-schemas';

const root = path.resolve(__dirname, '../../..');

describe('the JSON Schemas for editors', () => {
  it.each(SCHEMA_FILES.map((entry) => [entry.file, entry] as const))(
    '%s is in sync with its zod schema (run `npm run docs:schemas` after changing one)',
    (file, entry) => {
      expect(readText(root, path.join(SCHEMAS_DIR, file))).toBe(jsonSchemaOf(entry));
    },
  );

  it.each(SCHEMA_FILES.map((entry) => [entry.file, entry] as const))(
    'every example written against %s names it for yaml-language-server',
    (file, entry) => {
      const examples = entry.examples(root);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples)
        expect(readText(root, example).split('\n')[0], example).toBe(schemaLine(root, example, file));
    },
  );

  it('describes what a policy may say: its kinds, its required fields and a strict spec', () => {
    const policy = JSON.parse(jsonSchemaOf(SCHEMA_FILES[0])) as {
      properties: { kind: { const: string }; spec: { required: string[]; additionalProperties: boolean } };
    };
    expect(policy.properties.kind.const).toBe('ScalingPolicy');
    expect(policy.properties.spec.required).toContain('target');
    expect(policy.properties.spec.additionalProperties).toBe(false);
  });
});
