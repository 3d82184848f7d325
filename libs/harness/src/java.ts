import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './wait-for';

const JAVA_FIX = 'install a JDK (apt-get install openjdk-17-jre-headless) or set KAFKA_BROKERS';

/** The java binary (JAVA_HOME first), checked to be 17 or newer as Kafka 3.9's broker needs. */
export async function findJava(): Promise<string> {
  const fromHome = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : undefined;
  const java = fromHome && fs.existsSync(fromHome) ? fromHome : 'java';
  const versionText = await new Promise<string | undefined>((resolve) =>
    execFile(java, ['-version'], { encoding: 'utf8' }, (error, _stdout, stderr) => resolve(error ? undefined : stderr)),
  );
  if (versionText === undefined) throw new HarnessError(`Java 17+ not found: ${JAVA_FIX}`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17) throw new HarnessError(`Java 17+ not found (found ${major || 'unknown'}): ${JAVA_FIX}`);
  return java;
}
