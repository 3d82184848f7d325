import type { ServiceSpec } from '@surge/harness';

export function urlTable(
  rows: { spec: ServiceSpec; url: string; shopUrl: string }[],
  extra: [string, string][],
): string {
  const lines: [string, string][] = [];
  for (const { spec, url, shopUrl } of rows) {
    lines.push([spec.name, `${url}   (health ${url}/health/ready, metrics ${url}/metrics)`]);
    for (const p of spec.paths) lines.push([`  ${p.label}`, `${p.port === 'shop' ? shopUrl : url}${p.path}`]);
  }
  lines.push(...extra);
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
