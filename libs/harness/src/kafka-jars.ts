import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';
import { HarnessError } from './wait-for';

/** The Kafka release lines the harness runs: 3 is 3.9 (tools/kafka/pom.xml), 4 is 4.1 (tools/kafka/kafka4). */
export type KafkaLine = 3 | 4;

const LINES: Record<KafkaLine, { cache: string; brokerJar: RegExp }> = {
  3: { cache: 'kafka', brokerJar: /^kafka_2\.13-3\.9\.\d+\.jar$/ },
  4: { cache: 'kafka4', brokerJar: /^kafka_2\.13-4\.1\.\d+\.jar$/ },
};

/**
 * The line a broker started without an explicit one runs: the `kafka4` vitest tier's global setup sets
 * SURGE_KAFKA_LINE=4, so the specs there that start a broker of their own (a secure one) test Kafka 4 too.
 */
export function defaultKafkaLine(): KafkaLine {
  return process.env.SURGE_KAFKA_LINE === '4' ? 4 : 3;
}

export function kafkaLibsDir(line: KafkaLine = 3): string {
  return path.join(repoRoot(), '.cache', LINES[line].cache, 'libs');
}

/** JVM flags for the line's logging: log4j 1 (reload4j) in 3.9, log4j2 in 4 (which dropped log4j 1, KIP-653). */
export function kafkaLoggingArgs(line: KafkaLine, logsDir: string): string[] {
  const config =
    line === 4
      ? `-Dlog4j2.configurationFile=${path.join(repoRoot(), 'tools', 'kafka', 'kafka4', 'log4j2.properties')}`
      : `-Dlog4j.configuration=file:${path.join(repoRoot(), 'tools', 'kafka', 'log4j.properties')}`;
  return [config, `-Dkafka.logs.dir=${logsDir}`];
}

function hasBrokerJar(dir: string, line: KafkaLine): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((name) => LINES[line].brokerJar.test(name));
}

/** Makes sure the broker's jars are in the cache, fetching them with tools/kafka/fetch.sh (Maven) when missing. */
export async function ensureKafkaJars(line: KafkaLine = 3): Promise<string> {
  const dir = kafkaLibsDir(line);
  if (hasBrokerJar(dir, line)) return dir;
  const script = path.join(repoRoot(), 'tools', 'kafka', 'fetch.sh');
  const output = await new Promise<string>((resolve) =>
    execFile('bash', [script, String(line)], { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve(error ? `${stdout}${stderr}`.trim().split('\n').slice(-3).join(' | ') : ''),
    ),
  );
  if (!hasBrokerJar(dir, line)) {
    throw new HarnessError(
      `Kafka jars missing in ${dir} and fetching them failed (${output}). ` +
        `Fix: apt-get install maven && bash tools/kafka/fetch.sh ${line}, or set KAFKA_BROKERS`,
    );
  }
  return dir;
}
