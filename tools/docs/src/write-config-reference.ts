import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withConfigReference } from './config-reference';

const readme = path.resolve(__dirname, '../../../../README.md');
writeFileSync(readme, withConfigReference(readFileSync(readme, 'utf8')));
process.stdout.write(`docs: configuration reference written to ${readme}\n`);
