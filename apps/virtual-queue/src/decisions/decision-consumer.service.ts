import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { scaleDecision, type ScaleDecision } from '@surge/contracts';
import { jsonDecoder, runConsumer, type RunningConsumer } from '@surge/kafka';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { KafkaProvider } from '../events/kafka.provider';
import { QueueMetrics } from '../events/queue-metrics';
import { QueueEventsPublisher } from '../events/queue-events.publisher';
import { RoomDecisionApplier, TARGET_KIND } from './room-decision.applier';

/** Consumes scale decisions for VirtualQueue targets and answers each with an action result. */
@Injectable()
export class DecisionConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DecisionConsumerService.name);
  private consumer: RunningConsumer | null = null;

  constructor(
    private readonly kafka: KafkaProvider,
    private readonly applier: RoomDecisionApplier,
    private readonly events: QueueEventsPublisher,
    private readonly metrics: QueueMetrics,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.kafka.kafka || !this.kafka.producer) return;
    this.consumer = await runConsumer<ScaleDecision>({
      kafka: this.kafka.kafka,
      groupId: this.config.VQ_DECISION_GROUP,
      topics: [this.kafka.topics.decisions],
      producer: this.kafka.producer,
      deadLetterTopic: this.kafka.topics.deadLetter,
      decode: jsonDecoder('scaleDecision', scaleDecision),
      metrics: this.metrics.consumers,
      handle: (decision) => this.handle(decision),
    });
  }

  async handle(decision: ScaleDecision): Promise<void> {
    if (decision.target.kind !== TARGET_KIND) return;
    const result = await this.applier.apply(decision);
    this.logger.log(
      `decision ${decision.decisionId} ${decision.setting}=${decision.to} on ${decision.target.id}: ${result.status}${result.error ? ` (${result.error})` : ''}`,
    );
    await this.events.actionResult(result);
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
