import { DEAD_LETTER_SCHEMA_VERSION, type DeadLetterReason, type DeadLetterRecord } from '@surge/contracts';
import type { KafkaMessage } from 'kafkajs';
import { MessageTooLargeError } from './message-size';
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
 * A record too large for the message limit (base64 makes the original a third larger) is parked with the first
 * bytes of the original and its length instead: waiting would never make it fit.
 */
export async function sendToDeadLetter(
  producer: Pick<SurgeProducer, 'send'>,
  deadLetterTopic: string,
  record: DeadLetterRecord,
): Promise<void> {
  try {
    await send(producer, deadLetterTopic, record);
  } catch (error) {
    if (!(error instanceof MessageTooLargeError)) throw error;
    await send(producer, deadLetterTopic, truncated(record, error.maxBytes));
  }
}

// Room left for the record's other fields, its key and headers, whatever their size within reason.
const ENVELOPE_ALLOWANCE_BYTES = 16 * 1024;

function truncated(record: DeadLetterRecord, maxBytes: number): DeadLetterRecord {
  const original = Buffer.from(record.valueBase64, 'base64');
  const others = Buffer.byteLength(JSON.stringify({ ...record, valueBase64: '' }));
  const room = Math.max(0, maxBytes - others - ENVELOPE_ALLOWANCE_BYTES);
  const kept = original.subarray(0, Math.floor((room * 3) / 4));
  // Records this code writes are of the current version, the one that has valueBytes.
  return {
    ...record,
    schemaVersion: DEAD_LETTER_SCHEMA_VERSION,
    valueBase64: kept.toString('base64'),
    valueBytes: original.length,
  };
}

async function send(producer: Pick<SurgeProducer, 'send'>, topic: string, record: DeadLetterRecord): Promise<void> {
  await producer.send(topic, [
    { key: record.key, value: JSON.stringify(record), headers: { 'surge-dlq-reason': record.reason } },
  ]);
}
