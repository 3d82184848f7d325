import { DEFAULT_KAFKA_MAX_MESSAGE_BYTES } from '@surge/config';
import type { MessageSigner } from '@surge/signing';
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import { produceRequests } from './message-size';
import { PartitionRouting } from './partition-routing';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

interface PendingSend {
  topicMessages: TopicMessages[];
  bytes: number;
  timeoutMs: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The one producer every Surge service uses: idempotent, so a retried send never duplicates a record within a
 * partition, and acks=-1, so a send resolves only once every in-sync replica has the record.
 *
 * Exactly one merged send is in flight at a time; the sends that arrive meanwhile go out together in the next one.
 * kafkajs numbers each partition's batches under a lock per broker, not per partition, and rolls the numbers back
 * when a request fails: with concurrent sends, a leader change let two batches carry the same number, and the
 * broker acknowledged the second as a duplicate without writing it, or wrote a retried batch twice (the chaos
 * suite's broker kill). One send at a time makes every retry reuse its own numbers, and merging keeps the
 * throughput of concurrent callers.
 *
 * Within it, kafkajs is handed one partition per call (PartitionRouting picks it as kafkajs would), the calls
 * running side by side. A kafkajs call that spans several leaders retries as soon as one leader's request fails,
 * while the others' may still be in flight (kafkajs 2.2.4 `producer/sendMessages.js`: `Promise.all`, and a
 * request in flight looks like one never sent). In a leader election, one broker answers NOT_LEADER at once while
 * another still waits for its in-sync replicas; the retry queues a second request behind the first on that
 * broker's lock, and when the first succeeds, the second takes the next sequence numbers for the same records:
 * the broker sees a new batch and writes them twice (the broker-kill chaos spec, about one run in four). A
 * partition whose new leader had already answered is skipped by the retry instead, acknowledged but never sent.
 * With one partition a call, each attempt is a single request, retried only once it has failed.
 *
 * A send that fails for good may still have been written; its numbers are rolled back all the same, so the next
 * batch would reuse them and could be taken for that one. So after a failure the producer gets a new identity
 * (a new kafkajs producer, a new producer id) before it sends anything else.
 *
 * Every request stays under `maxMessageBytes` (KAFKA_MAX_MESSAGE_BYTES), so each partition's record batch stays
 * under the broker's message.max.bytes: a larger send goes out as several requests in order, sends queued
 * meanwhile are merged only up to it, and a message that could never fit rejects its send with
 * MessageTooLargeError before anything of it is produced.
 */
export class SurgeProducer {
  private producer: Producer;
  private readonly routing: PartitionRouting;
  private readonly pending: PendingSend[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private draining = false;
  private connected = false;
  private renewIdentity = false;

  /** `signers`: by topic name, the key that signs every message sent there (the module's signing policy). */
  constructor(
    private readonly kafka: Kafka,
    private readonly signers: ReadonlyMap<string, MessageSigner> = new Map(),
    readonly maxMessageBytes: number = DEFAULT_KAFKA_MAX_MESSAGE_BYTES,
  ) {
    this.producer = this.createProducer();
    this.routing = new PartitionRouting(kafka);
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

  async sendJson(
    topic: string,
    key: string | null,
    payload: unknown,
    headers?: OutgoingMessage['headers'],
  ): Promise<void> {
    await this.send(topic, [{ key, value: JSON.stringify(payload), headers }]);
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
    let requests;
    try {
      requests = produceRequests(topicMessages, this.maxMessageBytes);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const parts = requests.map(({ topicMessages, bytes }) => this.queue(topicMessages, bytes, timeoutMs));
    return parts.length === 1 ? parts[0]! : Promise.all(parts).then(() => undefined);
  }

  private queue(topicMessages: TopicMessages[], bytes: number, timeoutMs: number): Promise<void> {
    const sent = new Promise<void>((resolve, reject) => {
      this.pending.push({ topicMessages, bytes, timeoutMs, resolve, reject });
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

  /** The oldest pending send and those behind it, in order, up to maxMessageBytes together. */
  private takeMerged(): PendingSend[] {
    const taken = [this.pending.shift()!];
    let bytes = taken[0]!.bytes;
    while (this.pending.length > 0 && bytes + this.pending[0]!.bytes <= this.maxMessageBytes) {
      bytes += this.pending[0]!.bytes;
      taken.push(this.pending.shift()!);
    }
    return taken;
  }

  private async sendMerged(sends: PendingSend[]): Promise<void> {
    let produced = false;
    try {
      const partitions = await this.routing.route(mergeByTopic(sends));
      if (this.renewIdentity) await this.renew();
      produced = true;
      const timeout = Math.max(...sends.map((s) => s.timeoutMs));
      // Every call settles before the next merged send starts: two calls for one partition at once are the
      // concurrent sends above, and a renewal must not overtake a request of the old identity.
      const outcomes = await Promise.allSettled(
        partitions.map(({ topic, messages }) =>
          this.producer.sendBatch({
            acks: -1,
            timeout,
            compression: CompressionTypes.None,
            topicMessages: [{ topic, messages }],
          }),
        ),
      );
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      for (const send of sends) send.resolve();
    } catch (error) {
      // Nothing was produced when the partitions could not be chosen: the identity is still good.
      if (produced) this.renewIdentity = true;
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
