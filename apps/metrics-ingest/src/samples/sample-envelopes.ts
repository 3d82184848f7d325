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

export function toKafkaMessages(envelopes: readonly SampleEnvelope[]): OutgoingMessage[] {
  return envelopes.map((envelope) => ({ key: envelope.target, value: JSON.stringify(envelope) }));
}
