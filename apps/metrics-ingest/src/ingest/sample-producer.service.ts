import { Inject, Injectable } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { KAFKA_TOPICS, KafkaConnection, MessageTooLargeError, type OutgoingMessage, SurgeProducer } from '@surge/kafka';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { IngestErrorCode, IngestUnavailableError } from './ingest.errors';

/**
 * Produces the accepted samples with the app's one producer (the Kafka module's). The module connects in the
 * background and keeps retrying, so the app starts (and answers 503, and reports not-ready) while Kafka is down
 * instead of crash-looping; /health/ready tells a load balancer when it can take traffic. It closes the producer
 * at application shutdown, after the HTTP server: a batch already accepted for produce still gets its ack.
 */
@Injectable()
export class SampleProducer {
  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly connection: KafkaConnection,
    private readonly producer: SurgeProducer,
  ) {}

  /** The producer's KAFKA_MAX_MESSAGE_BYTES: the size ingest cuts a target's envelope to. */
  get maxMessageBytes(): number {
    return this.producer.maxMessageBytes;
  }

  /** Resolves once connected; used by start-up scripts and tests that want to wait for Kafka. */
  whenConnected(): Promise<void> {
    return this.connection.whenConnected();
  }

  /**
   * One send for the whole batch, resolved only when Kafka acknowledged every message (acks=-1, idempotent
   * producer); the producer cuts it into requests under the broker's message size. A batch that fails or
   * outlasts the deadline is reported to the client as not stored. A message too large for Kafka is the
   * client's to shrink (MessageTooLargeError, passed on as is), never an outage.
   * It is all-or-nothing per partition, not across partitions: messages of different targets may sit on
   * different partitions, and if one partition's write fails after another's succeeded, the client's retry
   * writes those samples again. The rules engine treats a repeated sample (same target, metric and timestamp)
   * as the same observation, so a retry is harmless; what can never happen is a 202 for a sample Kafka lacks.
   */
  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (!this.connection.isConnected)
      throw new IngestUnavailableError(IngestErrorCode.KafkaUnavailable, 'not connected to Kafka');
    const timeoutMs = this.config.SURGE_INGEST_PRODUCE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new IngestUnavailableError(
              IngestErrorCode.KafkaTimeout,
              `Kafka did not acknowledge within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.producer.send(this.topics.samples, messages, timeoutMs), deadline]);
    } catch (error) {
      if (error instanceof IngestUnavailableError || error instanceof MessageTooLargeError) throw error;
      throw new IngestUnavailableError(
        IngestErrorCode.KafkaUnavailable,
        `Kafka did not take the batch: ${(error as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
