import type { TestProject } from 'vitest/node';
import { startLocalKafka } from './kafka-local';

declare module 'vitest' {
  export interface ProvidedContext {
    kafka4Brokers: string;
  }
}

/*
 * Vitest global setup of the `kafka4` tier, listed after vitest.global-setup.ts (which brings up Redis,
 * PostgreSQL and the rest): one Kafka 4.1 broker for the whole tier. Its address is provided to this project
 * alone, never written to process.env: global setups share the main vitest process, and the other tiers' workers
 * must keep the Kafka 3.9 broker. vitest.kafka4-env.ts hands it to the tier's specs as KAFKA_BROKERS.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kafka = await startLocalKafka({ line: 4 });
  process.stderr.write(`surge harness: Kafka 4.1 at ${kafka.brokers} for the kafka4 tier\n`);
  project.provide('kafka4Brokers', kafka.brokers);
  return () => kafka.stop();
}
