import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaSecurity } from './kafka-security';

export interface KafkaOptions extends KafkaSecurity {
  brokers: string[];
  clientId: string;
  /** Connection attempts fail fast so a broker that is down surfaces as an error, not a hang. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

// kafkajs logs through its own logger; route warnings and errors as single-line JSON to match the apps' logs.
const jsonLogCreator = () => (entry: LogEntry) => {
  if (entry.level > logLevel.WARN) return;
  const { message, ...extra } = entry.log;
  process.stderr.write(
    `${JSON.stringify({ level: entry.level === logLevel.ERROR ? 'error' : 'warn', time: Date.now(), context: `kafkajs:${entry.namespace}`, msg: message, ...extra })}\n`,
  );
};

export function createKafka(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.ssl !== undefined && { ssl: options.ssl }),
    ...(options.sasl && { sasl: options.sasl }),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 2000 },
    logLevel: logLevel.WARN,
    logCreator: jsonLogCreator,
  });
}
