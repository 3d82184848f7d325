import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaOf, readText, SCHEMA_FILES, SCHEMAS_DIR, schemaLine, withSchemaLine } from './json-schemas';

// Built to dist/tools/docs/src/: the repository root is four levels up.
const root = path.resolve(__dirname, '../../../..');
mkdirSync(path.join(root, SCHEMAS_DIR), { recursive: true });
for (const entry of SCHEMA_FILES) {
  writeFileSync(path.join(root, SCHEMAS_DIR, entry.file), jsonSchemaOf(entry));
  for (const example of entry.examples(root))
    writeFileSync(
      path.join(root, example),
      withSchemaLine(readText(root, example), schemaLine(root, example, entry.file)),
    );
  process.stdout.write(`docs: ${SCHEMAS_DIR}/${entry.file} and the schema line of its examples written\n`);
}
