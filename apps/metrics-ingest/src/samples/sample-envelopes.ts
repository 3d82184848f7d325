import { METRIC_SAMPLE_SCHEMA_VERSION, type MetricSample, type SampleEnvelope } from '@surge/contracts';
import type { OutgoingMessage } from '@surge/kafka';

/**
 * One Kafka message per target per batch, keyed by the target id.
 * - Fastest: Kafka's cost is mostly per record (headers, offsets, CRC, the broker's per-record index work) and a
 *   batch usually holds many samples of few targets, so N samples become T records (T = targets in the batch),
 *   all sent in one produce request.
 * - Ordered: the key routes every message of a target to the same partition, and inside a message the samples
 *   keep the order they had in the request, so a consumer sees each target's samples in send order.
 * Keeping the message per target (not one message per batch) is what lets the rules engine scale out by
 * partition: every sample of a target lands on the partition that target hashes to.
 */
export function envelopesByTarget(samples: readonly MetricSample[]): SampleEnvelope[] {
  const byTarget = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    const group = byTarget.get(sample.target);
    if (group) group.push(sample);
    else byTarget.set(sample.target, [sample]);
  }
  const envelopes: SampleEnvelope[] = [];
  for (const [target, group] of byTarget)
    envelopes.push({ schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION, target, samples: group });
  return envelopes;
}

/** Below Kafka's default `message.max.bytes` (1 MB), with room for the record batch's framing. */
export const DEFAULT_MAX_MESSAGE_BYTES = 900_000;

/** A sample whose own envelope would not fit in one Kafka message: no split can help, the client must shrink it. */
export class SampleTooLargeError extends Error {
  override readonly name = 'SampleTooLargeError';

  constructor(
    readonly target: string,
    readonly index: number,
    readonly maxBytes: number,
  ) {
    super(`a sample of target "${target}" does not fit in one ${maxBytes}-byte message`);
  }
}

/**
 * The messages of a batch, none of whose value exceeds `maxBytes`: a target's envelope that would is split into
 * several envelopes of consecutive samples under the same key, in order, so the consumer sees the same samples in
 * the same order as from one message. The common case (an envelope that fits) is serialized once, as before.
 */
export function toKafkaMessages(envelopes: readonly SampleEnvelope[], maxBytes: number): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  for (const envelope of envelopes) {
    const value = JSON.stringify(envelope);
    if (Buffer.byteLength(value) <= maxBytes) messages.push({ key: envelope.target, value });
    else for (const part of splitEnvelope(envelope, maxBytes)) messages.push({ key: envelope.target, value: part });
  }
  return messages;
}

function splitEnvelope(envelope: SampleEnvelope, maxBytes: number): string[] {
  const head = `{"schemaVersion":${envelope.schemaVersion},"target":${JSON.stringify(envelope.target)},"samples":[`;
  const frame = Buffer.byteLength(head) + 2; // head + "]}"
  const parts: string[] = [];
  let current: string[] = [];
  let size = frame;
  envelope.samples.forEach((sample, index) => {
    const json = JSON.stringify(sample);
    const bytes = Buffer.byteLength(json);
    if (frame + bytes > maxBytes) throw new SampleTooLargeError(envelope.target, index, maxBytes);
    const separator = current.length > 0 ? 1 : 0;
    if (size + separator + bytes > maxBytes) {
      parts.push(`${head}${current.join(',')}]}`);
      current = [];
      size = frame;
    }
    size += (current.length > 0 ? 1 : 0) + bytes;
    current.push(json);
  });
  if (current.length > 0) parts.push(`${head}${current.join(',')}]}`);
  return parts;
}

// A record's framing in a Kafka record batch (length, attributes, deltas, key length, headers) stays well under
// this; the batch's own header is about 61 bytes.
const RECORD_OVERHEAD = 64;

/**
 * Groups messages into produce calls of at most `maxBytes` each, in order. kafkajs puts all the messages of one
 * partition in one send into one record batch, and the broker's `message.max.bytes` bounds that batch, so a
 * request is sent as several produce calls when together its messages would exceed the limit.
 */
export function produceCalls(messages: readonly OutgoingMessage[], maxBytes: number): OutgoingMessage[][] {
  const calls: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let size = RECORD_OVERHEAD;
  for (const message of messages) {
    const bytes = Buffer.byteLength(String(message.value)) + Buffer.byteLength(String(message.key)) + RECORD_OVERHEAD;
    if (current.length > 0 && size + bytes > maxBytes) {
      calls.push(current);
      current = [];
      size = RECORD_OVERHEAD;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}
