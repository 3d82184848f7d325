import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPIC_ENV_NAMES } from '@surge/contracts';
import { configReference, withConfigReference } from './config-reference';

describe('the README configuration reference', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

  it('documents every app, with the variables of its schema', () => {
    const reference = configReference();
    for (const name of [
      'KAFKA_BROKERS',
      'SURGE_ADMIN_TOKEN',
      'SURGE_POLICIES_DIR',
      'SURGE_TARGETS_FILE',
      'DATABASE_URL',
    ])
      expect(reference).toContain(`\`${name}\``);
  });

  it('documents every topic of the contracts table under its SURGE_TOPIC_* variable', () => {
    const reference = configReference();
    for (const name of Object.values(TOPIC_ENV_NAMES)) expect(reference).toContain(`| \`${name}\` |`);
  });

  it('is in sync with the schemas (run `npm run docs:config` after changing a config schema)', () => {
    expect(withConfigReference(readme)).toBe(readme);
  });
});
