import path from 'node:path';
import { readEnvFile, repoRoot } from '@surge/harness';
import { type ExperimentResult, passed } from './experiment-result';
import { EXPERIMENTS } from './experiments/catalog';
import { chaosSection, writeJson, writeReliability } from './report';

// The whole suite stays under 15 minutes: an experiment that would start past this budget is skipped and listed.
const SUITE_BUDGET_MS = 15 * 60_000;
const CLEANUP_MS = 120_000;

/**
 * `npm run chaos [-- <experiment>…]`: runs the experiments one after another against private servers it starts
 * (never the shared ones), and writes the table to RELIABILITY.md `## Chaos` and bench/results/chaos.json.
 */
async function main(): Promise<void> {
  // The shared broker the pipeline experiments use (never stopped): the one `npm run infra:up` wrote down.
  for (const [key, value] of Object.entries(readEnvFile())) process.env[key] ??= value;
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !EXPERIMENTS.some((e) => e.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown experiment ${unknown.join(', ')}; known: ${EXPERIMENTS.map((e) => e.name).join(', ')}`);
  const chosen =
    wanted.length > 0
      ? EXPERIMENTS.filter((e) => wanted.includes(e.name))
      : EXPERIMENTS.filter((e) => !e.onlyWhenNamed);
  const started = Date.now();
  const results: ExperimentResult[] = [];
  for (const experiment of chosen) {
    // Skipped when it would typically end past the suite's budget; otherwise bounded by the time that is left.
    const remainingMs = SUITE_BUDGET_MS - (Date.now() - started) - CLEANUP_MS / 4;
    if (experiment.typicalMs > remainingMs) {
      process.stdout.write(`chaos: ${experiment.name} skipped, it would pass the suite's 15-minute budget\n`);
      results.push(skippedRow(experiment.name, remainingMs));
      continue;
    }
    process.stdout.write(`chaos: ${experiment.name}…\n`);
    const work = experiment.run();
    const rows = await withBudget(work, Math.min(experiment.budgetMs, remainingMs)).catch(
      (error: unknown): ExperimentResult => ({
        experiment: experiment.name,
        accepted: 0,
        lost: 0,
        duplicated: 0,
        recoveredBySelf: false,
        timeToRecoverMs: null,
        notes: `the experiment itself failed: ${error instanceof Error ? error.message : String(error)}`,
        checks: { 'ran to the end': false },
      }),
    );
    // Past its budget the experiment still holds its private servers: let it stop them (its finally blocks)
    // before the next one starts, so two experiments never share the machine and no server outlives the suite.
    await withBudget(
      work.catch(() => undefined),
      CLEANUP_MS,
    ).catch(() => process.stdout.write(`chaos: ${experiment.name} did not clean up within ${CLEANUP_MS / 1000} s\n`));
    for (const result of Array.isArray(rows) ? rows : [rows]) {
      results.push(result);
      process.stdout.write(
        `chaos: ${result.experiment}: ${passed(result) ? 'pass' : 'FAIL'} (${JSON.stringify(result)})\n`,
      );
    }
  }
  const root = repoRoot();
  const when = new Date();
  const command = wanted.length > 0 ? `npm run chaos -- ${wanted.join(' ')}` : 'npm run chaos';
  writeReliability(path.join(root, 'RELIABILITY.md'), chaosSection(results, when, command));
  writeJson(path.join(root, 'bench', 'results', 'chaos.json'), results, when);
  process.stdout.write(
    `chaos: wrote RELIABILITY.md and bench/results/chaos.json in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  process.exit(results.every(passed) ? 0 : 1);
}

function skippedRow(name: string, remainingMs: number): ExperimentResult {
  return {
    experiment: name,
    accepted: 0,
    lost: 0,
    duplicated: 0,
    recoveredBySelf: false,
    timeToRecoverMs: null,
    notes: `skipped: ${Math.max(0, Math.round(remainingMs / 1000))} s of the suite's 15 minutes were left; run it alone with npm run chaos -- ${name}`,
    checks: { ran: false },
  };
}

function withBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`over its budget of ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
