import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

/**
 * The one producer every Surge service uses: idempotent, so a retried send never duplicates a record within a
 * partition, and acks=-1, so a send resolves only once every in-sync replica has the record.
 * kafkajs batches every message passed to one send() into one request per broker; callers group their
 * messages into one call rather than looping.
 */
export class SurgeProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      // Idempotence in kafkajs requires at most one in-flight request per broker connection.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Murmur2, as the Java client: a target id maps to the same partition whichever client produced it.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(topic: string, messages: OutgoingMessage[], timeoutMs = 10_000): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      timeout: timeoutMs,
      compression: CompressionTypes.None,
      messages: messages as Message[],
    });
  }

  async sendJson(topic: string, key: string | null, payload: unknown): Promise<void> {
    await this.send(topic, [{ key, value: JSON.stringify(payload) }]);
  }

  /** Sends to several topics in one request per broker. */
  async sendBatch(batches: { topic: string; messages: OutgoingMessage[] }[]): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.messages.length > 0)
      .map((b) => ({ topic: b.topic, messages: b.messages as Message[] }));
    if (topicMessages.length === 0) return;
    await this.producer.sendBatch({ acks: -1, timeout: 10_000, topicMessages });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}
