import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

/** True when the brokers answer a metadata request; used both to wait for a fresh broker and to reuse a running one. */
export async function kafkaAnswers(brokers: string, timeoutMs = 2_000, sasl?: SASLOptions): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'surge-harness-probe',
    brokers: brokers.split(','),
    ...(sasl && { sasl }),
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
