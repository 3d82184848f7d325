import { describe, expect, it } from 'vitest';
import { withDatabasePoolSize } from './pgbouncer-ini';

const INI = [
  '[databases]',
  '; the shop',
  'shop = host=127.0.0.1 port=5432 dbname=shop',
  'other = host=db pool_size=5',
  '* = host=127.0.0.1',
  '',
  '[pgbouncer]',
  'shop = not-a-database',
  'default_pool_size = 10',
].join('\n');

describe('withDatabasePoolSize', () => {
  it.each([
    ['adds pool_size to a line without one', 'shop', 25, 'shop = host=127.0.0.1 port=5432 dbname=shop pool_size=25'],
    ['replaces an existing pool_size', 'other', 8, 'other = host=db pool_size=8'],
  ])('%s', (_name, database, size, expectedLine) => {
    const out = withDatabasePoolSize(INI, database, size);
    expect(out.split('\n')).toContain(expectedLine);
    expect(out.split('\n').filter((l, i) => l !== INI.split('\n')[i])).toEqual([expectedLine]);
  });

  it('touches only the [databases] section', () => {
    expect(withDatabasePoolSize(INI, 'shop', 3)).toContain('[pgbouncer]\nshop = not-a-database');
  });

  it('refuses a database the ini does not list', () => {
    expect(() => withDatabasePoolSize(INI, 'missing', 3)).toThrow(
      'database missing has no line in the [databases] section',
    );
  });
});
