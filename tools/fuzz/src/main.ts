import { repoRoot } from '@surge/harness';
import { runPoisonFuzz } from './kafka/run-poison-fuzz';
import { formatPoisonTable, formatTable, type FuzzReport, writeJson, writeReliabilitySection } from './report';
import { runHttpFuzz } from './run-http-fuzz';

// Command-line knobs, not service config: the fuzzer is a tool, like the benches.
const COUNT = Number(process.env.FUZZ_INPUTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 12);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
const POISON = Number(process.env.FUZZ_POISON ?? 50);
/**
 * Replays the endpoints whose table name holds this text (e.g. `/v1/samples`), with the seeds of the full run, and
 * nothing else: no Kafka half, and neither RELIABILITY.md nor bench/results/fuzz.json is rewritten.
 */
const ONLY = process.env.FUZZ_ONLY;

async function main(): Promise<void> {
  const started = Date.now();
  const http = await runHttpFuzz({ count: COUNT, seed: SEED, concurrency: CONCURRENCY, only: ONLY }, (t) =>
    process.stderr.write(
      `fuzz: ${t.endpoint}: ${t.inputs} inputs, ${t.status4xx} 4xx, ${t.status5xx} 5xx, ${t.crashes} crashes\n`,
    ),
  );
  const kafka = ONLY
    ? []
    : await runPoisonFuzz(POISON, (t) =>
        process.stderr.write(
          `fuzz: ${t.consumer}: ${t.messages} poison, ${t.deadLettered} dead-lettered, ${t.handled} handled, ${t.crashes} crashes\n`,
        ),
      );
  const report: FuzzReport = { generatedAt: new Date().toISOString(), seed: SEED, perEndpoint: COUNT, http, kafka };
  process.stdout.write(`${formatTable(report)}\n\n${formatPoisonTable(kafka)}\n`);
  for (const t of kafka)
    for (const m of t.missing) process.stdout.write(`${t.consumer}: not parked <- ${m.kind} at ${m.offset}\n`);
  for (const t of http)
    for (const e of t.examples) process.stdout.write(`${t.endpoint}: ${e.outcome} <- ${e.request}\n`);
  if (!ONLY) {
    const root = repoRoot();
    writeJson(root, report);
    writeReliabilitySection(root, report);
  }
  process.stderr.write(`fuzz: done in ${Math.round((Date.now() - started) / 1000)} s\n`);
  const failed =
    http.some((t) => t.status5xx > 0 || t.crashes > 0) ||
    kafka.some((t) => t.missing.length > 0 || t.handled !== 1 || t.crashes > 0);
  process.exit(failed ? 1 : 0);
}

main().catch((error: Error) => {
  process.stderr.write(`fuzz: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
