import type { MessageSigner } from '@surge/signing';
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

interface PendingSend {
  topicMessages: TopicMessages[];
  timeoutMs: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends queued while one is in flight are merged into the next request up to this many bytes, so each partition's
 * record batch stays under the broker's default message.max.bytes (1 MB). A single larger send still goes alone.
 */
const MAX_MERGED_BYTES = 512 * 1024;

/**
 * The one producer every Surge service uses: idempotent, so a retried send never duplicates a record within a
 * partition, and acks=-1, so a send resolves only once every in-sync replica has the record.
 *
 * Exactly one produce is in flight at a time; the sends that arrive meanwhile go out together in the next one.
 * kafkajs numbers each partition's batches under a lock per broker, not per partition, and rolls the numbers back
 * when a request fails: with concurrent sends, a leader change let two batches carry the same number, and the
 * broker acknowledged the second as a duplicate without writing it, or wrote a retried batch twice (the chaos
 * suite's broker kill). One send at a time makes every retry reuse its own numbers, and merging keeps the
 * throughput of concurrent callers.
 *
 * A send that fails for good may still have been written; its numbers are rolled back all the same, so the next
 * batch would reuse them and could be taken for that one. So after a failure the producer gets a new identity
 * (a new kafkajs producer, a new producer id) before it sends anything else.
 */
export class SurgeProducer {
  private producer: Producer;
  private readonly pending: PendingSend[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private draining = false;
  private connected = false;
  private renewIdentity = false;

  /** `signers`: by topic name, the key that signs every message sent there (the module's signing policy). */
  constructor(
    private readonly kafka: Kafka,
    private readonly signers: ReadonlyMap<string, MessageSigner> = new Map(),
  ) {
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(topic: string, messages: OutgoingMessage[], timeoutMs = 10_000): Promise<void> {
    if (messages.length === 0) return;
    await this.enqueue([{ topic, messages: this.signed(topic, messages) }], timeoutMs);
  }

  async sendJson(topic: string, key: string | null, payload: unknown): Promise<void> {
    await this.send(topic, [{ key, value: JSON.stringify(payload) }]);
  }

  /** Sends to several topics in one request per broker. */
  async sendBatch(batches: { topic: string; messages: OutgoingMessage[] }[]): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.messages.length > 0)
      .map((b) => ({ topic: b.topic, messages: this.signed(b.topic, b.messages) }));
    if (topicMessages.length === 0) return;
    await this.enqueue(topicMessages, 10_000);
  }

  /** Resolves once every send already started has been acknowledged or has failed. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Flushes first: kafkajs's disconnect would fail sends still waiting for their acks. */
  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await this.flush();
    this.connected = false;
    await this.producer.disconnect();
  }

  /** Signed here, the one place every send passes, so no caller can forget it for a signed topic. */
  private signed(topic: string, messages: OutgoingMessage[]): Message[] {
    const signer = this.signers.get(topic);
    if (!signer) return messages as Message[];
    return messages.map((m) => ({ ...m, headers: { ...m.headers, ...signer.headersFor(m.value) } }));
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      // Idempotence in kafkajs requires at most one in-flight request per broker connection.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Murmur2, as the Java client: a target id maps to the same partition whichever client produced it.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  private enqueue(topicMessages: TopicMessages[], timeoutMs: number): Promise<void> {
    const sent = new Promise<void>((resolve, reject) => {
      this.pending.push({ topicMessages, timeoutMs, resolve, reject });
    });
    this.inFlight.add(sent);
    const untrack = () => this.inFlight.delete(sent);
    sent.then(untrack, untrack);
    if (!this.draining) {
      this.draining = true;
      // drain settles every caller's promise itself; should it fail, nobody else would settle what is still queued.
      void this.drain().catch((error: Error) => {
        for (const send of this.pending.splice(0)) send.reject(error);
      });
    }
    return sent;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.sendMerged(this.takeMerged());
    } finally {
      this.draining = false;
    }
  }

  /**
   * The oldest pending send and those behind it, in order, up to MAX_MERGED_BYTES. Sizes are measured only when
   * there is something to merge: a send that finds the producer idle (the usual case) costs no byte count.
   */
  private takeMerged(): PendingSend[] {
    const taken = [this.pending.shift()!];
    if (this.pending.length === 0) return taken;
    let bytes = sizeOf(taken[0]!.topicMessages);
    while (this.pending.length > 0) {
      const next = sizeOf(this.pending[0]!.topicMessages);
      if (bytes + next > MAX_MERGED_BYTES) break;
      bytes += next;
      taken.push(this.pending.shift()!);
    }
    return taken;
  }

  private async sendMerged(sends: PendingSend[]): Promise<void> {
    try {
      if (this.renewIdentity) await this.renew();
      await this.producer.sendBatch({
        acks: -1,
        timeout: Math.max(...sends.map((s) => s.timeoutMs)),
        compression: CompressionTypes.None,
        topicMessages: mergeByTopic(sends),
      });
      for (const send of sends) send.resolve();
    } catch (error) {
      this.renewIdentity = true;
      for (const send of sends) send.reject(error);
    }
  }

  private async renew(): Promise<void> {
    const previous = this.producer;
    this.producer = this.createProducer();
    await previous.disconnect().catch(() => undefined);
    if (this.connected) await this.producer.connect();
    this.renewIdentity = false;
  }
}

/** One entry per topic, messages in the order they were sent, so per-key order holds across merged sends. */
function mergeByTopic(sends: PendingSend[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const send of sends)
    for (const { topic, messages } of send.topicMessages) {
      const list = byTopic.get(topic);
      if (list) list.push(...messages);
      else byTopic.set(topic, [...messages]);
    }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function sizeOf(topicMessages: TopicMessages[]): number {
  let bytes = 0;
  for (const { messages } of topicMessages)
    for (const m of messages) bytes += byteLength(m.value) + byteLength(m.key) + 64;
  return bytes;
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
