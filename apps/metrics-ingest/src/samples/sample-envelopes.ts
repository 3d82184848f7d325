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

/**
 * The messages of a batch, each under `maxBytes` (the producer's KAFKA_MAX_MESSAGE_BYTES): a target's envelope
 * that would exceed it is split into several envelopes of consecutive samples under the same key, in
 * order, so the consumer sees the same samples in the same order as from one message. The common case (an
 * envelope that fits) is serialized once, as before. A sample too large for a message of its own still gets one:
 * the producer refuses it (MessageTooLargeError) before anything of the batch is sent.
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
  for (const sample of envelope.samples) {
    const json = JSON.stringify(sample);
    const bytes = Buffer.byteLength(json);
    const separator = current.length > 0 ? 1 : 0;
    if (current.length > 0 && size + separator + bytes > maxBytes) {
      parts.push(`${head}${current.join(',')}]}`);
      current = [];
      size = frame;
    }
    size += (current.length > 0 ? 1 : 0) + bytes;
    current.push(json);
  }
  if (current.length > 0) parts.push(`${head}${current.join(',')}]}`);
  return parts;
}
