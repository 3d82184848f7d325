import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import {
  ExecutorMetrics,
  ExecutorRegistry,
  ExecutorRuntime,
  type GuardrailSwitch,
  guardrailsFrom,
  pipelineSettingsFrom,
} from '@surge/executor-framework';
import { KAFKA_CLIENT, KAFKA_TOPICS, KafkaConsumers, SurgeProducer } from '@surge/kafka';
import { type BackgroundStart, HealthRegistry, MetricsRegistry, startInBackground } from '@surge/service-kit';
import type { Kafka } from 'kafkajs';
import { RoomAdminService } from '../admin/room-admin.service';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { RedisProvider } from '../redis/redis.provider';
import { RoomTargetCatalog } from './room-target.catalog';
import { VirtualQueueAdapter } from './virtual-queue.adapter';

const EXECUTOR_NAME = 'virtual-queue';

/**
 * Hosts the waiting room's executor in-process (it owns the room's Redis scripts) on the framework's runtime, so
 * room decisions get the same idempotence, supersession, staleness, guardrails and control events as every other
 * back end. Without Kafka (the module's client, producer and consumers are then absent) nothing runs.
 * On shutdown it stops before Redis closes (RedisProvider closes in onApplicationShutdown) and before the Kafka
 * module closes the producer.
 */
@Injectable()
export class RoomExecutorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoomExecutorService.name);
  /** The global pause and dry-run in force, flipped by control events. */
  readonly guardrails: GuardrailSwitch;
  private readonly catalog: RoomTargetCatalog;
  private runtime: ExecutorRuntime | null = null;
  private starting: BackgroundStart | null = null;

  constructor(
    private readonly redis: RedisProvider,
    private readonly rooms: RoomAdminService,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    @Optional() @Inject(KAFKA_CLIENT) private readonly client?: Kafka,
    @Optional() private readonly producer?: SurgeProducer,
    @Optional() private readonly consumers?: KafkaConsumers,
  ) {
    this.guardrails = guardrailsFrom(config);
    this.catalog = new RoomTargetCatalog(redis.queue);
  }

  onApplicationBootstrap(): void {
    const { client, producer, consumers } = this;
    if (!client || !producer || !consumers) {
      this.logger.warn('KAFKA_BROKERS unset: no scale decisions consumed, no queue events or samples published');
      return;
    }
    // Redis or Kafka may be away at boot: the start is tried again with backoff instead of failing the app (the
    // catalog's first read is a Redis call), and /health/ready names it meanwhile.
    this.starting = startInBackground('room-executor', this.health, () => this.start(client, producer, consumers));
  }

  private async start(client: Kafka, producer: SurgeProducer, consumers: KafkaConsumers): Promise<void> {
    const { topics } = this;
    await this.catalog.refresh();
    // Built once: its metrics register with the app's registry, and a failed start() leaves nothing running.
    this.runtime ??= new ExecutorRuntime({
      name: EXECUTOR_NAME,
      kafka: { client, consumers, producer, topics },
      groupId: this.config.VQ_DECISION_GROUP,
      redis: this.redis.client,
      keyPrefix: `${this.config.VQ_KEY_PREFIX}vq:executor`,
      registry: new ExecutorRegistry().register(new VirtualQueueAdapter(this.redis.queue, this.rooms)),
      catalog: this.catalog,
      // Rooms carry no connection: the adapter works on this app's own Redis.
      connections: {},
      guardrails: this.guardrails,
      ...pipelineSettingsFrom(this.config),
      metrics: new ExecutorMetrics(this.metrics.registry, () => this.guardrails.current().paused),
    });
    await this.runtime.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.starting?.stop();
    await this.runtime?.stop();
    this.runtime = null;
  }
}
