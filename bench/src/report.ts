import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The shared way a bench publishes: its figures to bench/results/<name>.json, then BENCHMARKS.md rebuilt from
 * every results file, so the document always matches the numbers committed next to it.
 * Each result carries its `markdown` section (publishResult renders a generic one when the bench gives none). A
 * results file written some other way keeps the section its bench last wrote between `<!-- bench:<name> -->`
 * markers (benches that edit BENCHMARKS.md themselves), else gets the generic rendering.
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

export interface BenchResult {
  name: string;
  title: string;
  measuredAt: string;
  machine: { cpus: number; cpuModel: string; node: string };
  parameters: Record<string, string | number>;
  figures: BenchFigure[];
  goals?: { name: string; target: string; met: boolean }[];
  notes?: string[];
  markdown?: string;
}

// Built to dist/bench/src/: the repository root is three levels up; from bench/src it is two.
const root = [path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../..')].find((dir) =>
  fs.existsSync(path.join(dir, 'nx.json')),
)!;
const resultsDir = path.join(root, 'bench', 'results');
const markdownFile = path.join(root, 'BENCHMARKS.md');

export function machineInfo(): BenchResult['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version };
}

export function formatNumber(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function genericSection(result: Partial<BenchResult> & { name: string }): string {
  const lines = [`## ${result.title ?? result.name}`, ''];
  if (result.measuredAt)
    lines.push(
      `Measured ${result.measuredAt} on ${result.machine?.cpus} × ${result.machine?.cpuModel}, Node ${result.machine?.node}.`,
      '',
    );
  if (result.figures?.length) {
    lines.push(
      '| Figure | Value |',
      '|---|---|',
      ...result.figures.map((f) => `| ${f.name} | ${`${formatNumber(f.value)} ${f.unit}`.trim()} |`),
      '',
    );
  }
  if (result.goals?.length)
    lines.push(...result.goals.map((g) => `- Goal ${g.name}: ${g.target}: **${g.met ? 'met' : 'not met'}**`), '');
  if (result.parameters)
    lines.push(
      `Parameters: ${Object.entries(result.parameters)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}.`,
      '',
    );
  if (result.notes?.length) lines.push(...result.notes.map((n) => `- ${n}`), '');
  return lines.join('\n').trim();
}

function existingSection(current: string, name: string): string | undefined {
  const match = new RegExp(`<!-- bench:${name} -->\\n([\\s\\S]*?)\\n<!-- /bench:${name} -->`).exec(current);
  return match?.[1];
}

export function regenerateBenchmarksMd(): void {
  const current = fs.existsSync(markdownFile) ? fs.readFileSync(markdownFile, 'utf8') : '';
  const files = fs.existsSync(resultsDir)
    ? fs
        .readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const names = new Set(files.map((file) => path.basename(file, '.json')));
  // A section some bench wrote without a results file stays as it is.
  const orphans = [...current.matchAll(/<!-- bench:([\w-]+) -->/g)]
    .map((m) => m[1]!)
    .filter((name) => !names.has(name));
  const sections = [...files, ...orphans.map((name) => `${name}.json`)].sort().map((file) => {
    const name = path.basename(file, '.json');
    if (!names.has(name))
      return `<!-- bench:${name} -->\n${existingSection(current, name)!.trim()}\n<!-- /bench:${name} -->`;
    const result = {
      name,
      ...JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8')),
    } as Partial<BenchResult> & { name: string };
    const body = result.markdown ?? existingSection(current, name) ?? genericSection(result);
    return `<!-- bench:${name} -->\n${body.trim()}\n<!-- /bench:${name} -->`;
  });
  const header =
    '# Benchmarks\n\nWritten by `npm run bench` (each part: `npm run bench:<name>`) from `bench/results/*.json`; do not edit by hand.\nEvery figure is measured together with its baseline in the same run, on the machine named in its section.\n';
  fs.writeFileSync(markdownFile, `${header}\n${sections.join('\n\n')}\n`);
}

/** Writes bench/results/<name>.json and rebuilds BENCHMARKS.md; returns the results file's path. */
export function publishResult(result: BenchResult): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${result.name}.json`);
  const withSection = { ...result, markdown: result.markdown ?? genericSection(result) };
  fs.writeFileSync(file, `${JSON.stringify(withSection, null, 2)}\n`);
  regenerateBenchmarksMd();
  return file;
}
