import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_DIR, apiReferenceFiles } from './api-reference';

// Built to dist/tools/docs/src/: the repository root is four levels up.
const root = path.resolve(__dirname, '../../../..');

async function main(): Promise<void> {
  mkdirSync(path.join(root, API_DIR), { recursive: true });
  for (const [file, text] of await apiReferenceFiles()) {
    writeFileSync(path.join(root, file), text);
    process.stdout.write(`docs: ${file} written\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`docs:api failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
