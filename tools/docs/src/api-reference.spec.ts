import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DIR, apiReferenceFiles } from './api-reference';

const root = path.resolve(__dirname, '../../..');

describe('the committed API reference (docs/api)', async () => {
  const files = await apiReferenceFiles();

  it.each([...files.keys()])('%s is in sync with the code (run `npm run docs:api` after changing an API)', (file) => {
    const committed = path.join(root, file);
    expect(existsSync(committed), `${file} is missing: run \`npm run docs:api\``).toBe(true);
    expect(readFileSync(committed, 'utf8'), `${file} is out of date: run \`npm run docs:api\``).toBe(files.get(file));
  });

  it('holds no file the generator no longer writes', () => {
    const written = new Set([...files.keys()].map((file) => path.basename(file)));
    expect(readdirSync(path.join(root, API_DIR)).filter((name) => !written.has(name))).toEqual([]);
  });
});
