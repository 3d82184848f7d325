/** Left-aligned columns two spaces apart, the last one unpadded: `kubectl get`'s layout. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], indent = ''): string {
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
