import type { Message, TopicMessages } from 'kafkajs';

/**
 * A message whose value alone is over KAFKA_MAX_MESSAGE_BYTES: no split of the request can make the broker take
 * it, so the sender must shrink it. Nothing of the send it came in was produced. Not an outage: retrying it
 * unchanged can never succeed.
 */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';

  constructor(
    readonly topic: string,
    readonly key: string | null,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `a ${bytes}-byte message for ${topic}${key === null ? '' : ` (key "${key}")`} is over the Kafka message limit KAFKA_MAX_MESSAGE_BYTES=${maxBytes}`,
    );
  }
}

/** One produce request's share of a send: whole messages, in send order, and their estimated size. */
export interface ProduceRequest {
  topicMessages: TopicMessages[];
  bytes: number;
}

// A record's framing in a record batch (length, attributes, deltas, key and header lengths) stays under this;
// the batch's own header is about 61 bytes.
const RECORD_OVERHEAD = 64;

/**
 * A send as produce requests of at most `maxBytes` each, in order: kafkajs puts all the messages of one partition
 * in one request into one record batch, and the broker's `message.max.bytes` bounds that batch. A request holds
 * more than `maxBytes` only when one message and its framing do, and a message whose value alone is larger is
 * refused before anything is sent. The usual send (it fits) stays one request, its messages untouched.
 */
export function produceRequests(topicMessages: TopicMessages[], maxBytes: number): ProduceRequest[] {
  const sizes: number[] = [];
  let total = RECORD_OVERHEAD;
  for (const { topic, messages } of topicMessages)
    for (const message of messages) {
      const value = byteLength(message.value);
      if (value > maxBytes) throw new MessageTooLargeError(topic, keyOf(message), value, maxBytes);
      const record = value + byteLength(message.key) + headerBytes(message) + RECORD_OVERHEAD;
      sizes.push(record);
      total += record;
    }
  // The hot path: one request, the caller's arrays as they are.
  if (total <= maxBytes) return [{ topicMessages, bytes: total }];
  return split(topicMessages, sizes, maxBytes);
}

/** Splits a send that does not fit, reusing the record sizes produceRequests measured, in the same order. */
function split(topicMessages: TopicMessages[], sizes: number[], maxBytes: number): ProduceRequest[] {
  const requests: ProduceRequest[] = [];
  let current = new Map<string, Message[]>();
  let bytes = RECORD_OVERHEAD;
  let i = 0;
  for (const { topic, messages } of topicMessages)
    for (const message of messages) {
      const record = sizes[i++]!;
      if (current.size > 0 && bytes + record > maxBytes) {
        requests.push({ topicMessages: toTopicMessages(current), bytes });
        current = new Map();
        bytes = RECORD_OVERHEAD;
      }
      const list = current.get(topic);
      if (list) list.push(message);
      else current.set(topic, [message]);
      bytes += record;
    }
  if (current.size > 0) requests.push({ topicMessages: toTopicMessages(current), bytes });
  return requests;
}

function toTopicMessages(byTopic: Map<string, Message[]>): TopicMessages[] {
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function keyOf(message: Message): string | null {
  if (message.key == null) return null;
  return typeof message.key === 'string' ? message.key : message.key.toString();
}

function headerBytes(message: Message): number {
  if (!message.headers) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(message.headers)) {
    bytes += Buffer.byteLength(name);
    if (Array.isArray(value)) for (const v of value) bytes += byteLength(v);
    else bytes += byteLength(value);
  }
  return bytes;
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
