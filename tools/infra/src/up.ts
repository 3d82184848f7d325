import { ensureDebianPackages, envFilePath, infraUp } from '@surge/harness';

/*
 * `npm run infra:up`: installs missing Debian packages (tools/debian-packages.txt), then finds or starts Kafka,
 * Redis, PostgreSQL, PgBouncer and Alertmanager, waits until each answers and writes their addresses to .env.local.
 * Running it again reuses whatever still answers.
 */
async function main(): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`infra: ${line}\n`);
  const started = Date.now();
  ensureDebianPackages(log);
  const result = await infraUp(log);
  for (const [key, value] of Object.entries(result.env)) {
    const source = result.sources[key as keyof typeof result.sources];
    process.stdout.write(`${key.padEnd(20)} ${value.padEnd(48)} (${source})\n`);
  }
  log(`ready in ${Date.now() - started} ms; addresses written to ${envFilePath()}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`infra: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
