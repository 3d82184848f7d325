import { infraDown } from '@surge/harness';

/* `npm run infra:down`: stops only what infra:up (or a test run) recorded as started by it, by pid. */
async function main(): Promise<void> {
  const stopped = await infraDown();
  if (stopped.length === 0) process.stdout.write('infra: nothing started by the harness is running\n');
  for (const record of stopped) process.stdout.write(`infra: stopped ${record.service} (${record.kind})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`infra: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
