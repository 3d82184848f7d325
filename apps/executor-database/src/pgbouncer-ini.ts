/**
 * Sets `pool_size=<n>` on one database's line of a pgbouncer.ini [databases] section, keeping every other line,
 * comment and key as written. Per-database sizes have no admin-console SET: the ini plus RELOAD is the only way.
 */
export function withDatabasePoolSize(ini: string, database: string, poolSize: number): string {
  const lines = ini.split('\n');
  let section = '';
  let found = false;
  const out = lines.map((line) => {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      return line;
    }
    if (section !== 'databases') return line;
    const entry = /^(\s*)([^=\s;#]+)(\s*=\s*)(.*)$/.exec(line);
    if (!entry || entry[2] !== database) return line;
    found = true;
    const params = entry[4]!
      .trim()
      .split(/\s+/)
      .filter((p) => p && !p.startsWith('pool_size='));
    return `${entry[1]}${entry[2]}${entry[3]}${[...params, `pool_size=${poolSize}`].join(' ')}`;
  });
  if (!found) throw new Error(`database ${database} has no line in the [databases] section`);
  return out.join('\n');
}
