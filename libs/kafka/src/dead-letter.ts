import { DEAD_LETTER_SCHEMA_VERSION, type DeadLetterReason, type DeadLetterRecord } from '@surge/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { SurgeProducer } from './surge-producer';

export interface DeadLetterSource {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export function deadLetterRecordFor(
  source: DeadLetterSource,
  consumerGroup: string,
  reason: DeadLetterReason,
  error: unknown,
  attempts: number,
): DeadLetterRecord {
  return {
    schemaVersion: DEAD_LETTER_SCHEMA_VERSION,
    reason,
    error: error instanceof Error ? error.message : String(error),
    consumerGroup,
    source: { topic: source.topic, partition: source.partition, offset: source.message.offset },
    key: source.message.key ? source.message.key.toString('utf8') : null,
    valueBase64: source.message.value ? source.message.value.toString('base64') : '',
    attempts,
    time: Date.now(),
  };
}

/**
 * Parks a message that cannot be handled, with its reason and original bytes, so the consumer can go on
 * and an operator can replay it. If even the dead-letter write fails the error propagates: the offset is then
 * not committed and the message is redelivered, because losing it silently is the one outcome not allowed.
 */
export async function sendToDeadLetter(
  producer: SurgeProducer,
  deadLetterTopic: string,
  record: DeadLetterRecord,
): Promise<void> {
  await producer.send(deadLetterTopic, [
    { key: record.key, value: JSON.stringify(record), headers: { 'surge-dlq-reason': record.reason } },
  ]);
}
