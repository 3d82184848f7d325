import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { TopicKey, Topics } from '@surge/contracts';
import { KAFKA_CLIENT, KAFKA_TOPICS, KafkaConsumers, KafkaModule, SurgeProducer } from '@surge/kafka';
import {
  type BackgroundStart,
  HealthRegistry,
  MetricsRegistry,
  ObservabilityModule,
  startInBackground,
} from '@surge/service-kit';
import { SurgeTracing, TracingModule } from '@surge/tracing';
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { ExecutorConfig, ExecutorTargets } from './executor.config';
import { ExecutorMetrics } from './executor.metrics';
import type { ExecutorRegistry } from './executor.registry';
import { ExecutorRuntime } from './executor.runtime';
import { EXECUTOR_SIGNING } from './executor-signing';
import { guardrailsFrom, pipelineSettingsFrom } from './pipeline-settings';

export interface ExecutorAppOptions {
  appName: string;
  config: ExecutorConfig;
  /** The targets file and the connection variables it names, loaded at boot (`loadExecutorTargets`). */
  targets: ExecutorTargets;
  /** The app's adapters: one `register` line per kind it owns. */
  createRegistry: (config: ExecutorConfig) => ExecutorRegistry;
}

/**
 * What an executor reads and writes (alerts: its failed actions); the Kafka module creates them at start (the
 * control topic compacted).
 */
export const EXECUTOR_TOPICS: readonly TopicKey[] = [
  'decisions',
  'actions',
  'samples',
  'observed',
  'deadLetter',
  'control',
  'alerts',
];

const OPTIONS = Symbol('EXECUTOR_APP_OPTIONS');

/**
 * Owns the executor's Redis client and runtime. The Kafka module is global, so Nest starts it before this and
 * destroys it after: on SIGTERM this stops consuming decisions, finishes those in flight with their results,
 * flushes the producer, closes the adapters' clients and Redis; the Kafka module then closes the producer.
 */
@Injectable()
class ExecutorHost implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ExecutorHost.name);
  private readonly redis: Redis;
  private readonly runtime: ExecutorRuntime;
  private starting: BackgroundStart | null = null;

  constructor(
    @Inject(OPTIONS) options: ExecutorAppOptions,
    metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
    @Inject(KAFKA_CLIENT) client: Kafka,
    @Inject(KAFKA_TOPICS) topics: Topics,
    producer: SurgeProducer,
    consumers: KafkaConsumers,
    tracing: SurgeTracing,
  ) {
    const { config, appName, targets } = options;
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
    // Without a listener ioredis prints each failed reconnect as an unhandled error; readiness reports the outage.
    this.redis.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    const guardrails = guardrailsFrom(config);
    this.runtime = new ExecutorRuntime({
      name: appName,
      kafka: { client, consumers, producer, topics },
      groupId: config.SURGE_EXECUTOR_GROUP ?? `surge-${appName}`,
      redis: this.redis,
      keyPrefix: config.SURGE_EXECUTOR_KEY_PREFIX ?? `surge:${appName}`,
      registry: options.createRegistry(config),
      catalog: targets.catalog,
      connections: targets.connections,
      guardrails,
      ...pipelineSettingsFrom(config),
      metrics: new ExecutorMetrics(metrics.registry, () => guardrails.current().paused),
      tracing,
    });
  }

  /**
   * Kafka and Redis being slow or down at boot must not end the process: the HTTP server comes up (not ready)
   * while the runtime's start is tried again in the background. Redis connects on its first command and
   * reconnects by itself.
   */
  onModuleInit(): void {
    this.health.register('redis', async () => void (await this.redis.ping()));
    this.health.register('decisions-consumer', () => {
      if (!this.runtime.isConsuming()) throw new Error('not consuming decisions');
    });
    this.starting = startInBackground('executor-start', this.health, () => this.runtime.start(), this.logger);
  }

  async onModuleDestroy(): Promise<void> {
    this.logger.log('stopping: finishing in-flight decisions');
    await this.starting?.stop();
    await this.runtime.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({})
export class ExecutorAppModule {
  static forRoot(options: ExecutorAppOptions): DynamicModule {
    const { appName, config } = options;
    return {
      module: ExecutorAppModule,
      imports: [
        ObservabilityModule.forRoot({ appName, logLevel: config.LOG_LEVEL }),
        TracingModule.forRoot({ appName, config }),
        // In the background: an executor whose broker is down at boot waits for it instead of exiting.
        KafkaModule.forRoot({
          config,
          clientId: appName,
          topics: [...EXECUTOR_TOPICS],
          connect: 'in-background',
          signing: EXECUTOR_SIGNING,
        }),
      ],
      providers: [{ provide: OPTIONS, useValue: options }, ExecutorHost],
    };
  }
}
