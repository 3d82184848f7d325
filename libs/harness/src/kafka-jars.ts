import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';
import { HarnessError } from './wait-for';

export function kafkaLibsDir(): string {
  return path.join(repoRoot(), '.cache', 'kafka', 'libs');
}

function hasBrokerJar(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((name) => /^kafka_2\.13-3\.9\.\d+\.jar$/.test(name));
}

/** Makes sure the broker's jars are in the cache, fetching them with tools/kafka/fetch.sh (Maven) when missing. */
export async function ensureKafkaJars(): Promise<string> {
  const dir = kafkaLibsDir();
  if (hasBrokerJar(dir)) return dir;
  const script = path.join(repoRoot(), 'tools', 'kafka', 'fetch.sh');
  const output = await new Promise<string>((resolve) =>
    execFile('bash', [script], { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve(error ? `${stdout}${stderr}`.trim().split('\n').slice(-3).join(' | ') : ''),
    ),
  );
  if (!hasBrokerJar(dir)) {
    throw new HarnessError(
      `Kafka jars missing in ${dir} and fetching them failed (${output}). ` +
        'Fix: apt-get install maven && bash tools/kafka/fetch.sh, or set KAFKA_BROKERS',
    );
  }
  return dir;
}
