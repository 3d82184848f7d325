import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { resolveTopics } from '@surge/contracts';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@surge/service-kit';
import { Redis } from 'ioredis';
import type { ExecutorConfig } from './executor.config';
import { ExecutorMetrics } from './executor.metrics';
import type { ExecutorRegistry } from './executor.registry';
import { ExecutorRuntime } from './executor.runtime';
import { GuardrailSwitch } from './guardrail.switch';
import { loadTargetsFile } from './targets-file.loader';

export interface ExecutorAppOptions {
  appName: string;
  config: ExecutorConfig;
  /** The app's adapters: one `register` line per kind it owns. */
  createRegistry: (config: ExecutorConfig) => ExecutorRegistry;
}

const OPTIONS = Symbol('EXECUTOR_APP_OPTIONS');

/** Owns the executor's clients and runtime: created once at start, closed in order on shutdown. */
@Injectable()
class ExecutorHost implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ExecutorHost.name);
  private readonly redis: Redis;
  private readonly producer: SurgeProducer;
  private readonly runtime: ExecutorRuntime;
  private readonly topics = resolveTopics();

  constructor(
    @Inject(OPTIONS) private readonly options: ExecutorAppOptions,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {
    const { config, appName } = options;
    const catalog = loadTargetsFile(config.SURGE_TARGETS_FILE);
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? appName });
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
    this.producer = new SurgeProducer(kafka);
    const guardrails = new GuardrailSwitch({
      paused: config.SURGE_EXECUTOR_PAUSED,
      dryRun: config.SURGE_EXECUTOR_DRY_RUN,
    });
    this.runtime = new ExecutorRuntime({
      name: appName,
      kafka,
      producer: this.producer,
      topics: this.topics,
      groupId: config.SURGE_EXECUTOR_GROUP ?? `surge-${appName}`,
      redis: this.redis,
      keyPrefix: config.SURGE_EXECUTOR_KEY_PREFIX ?? `surge:${appName}`,
      idempotenceTtlMs: config.SURGE_IDEMPOTENCE_TTL_MS,
      registry: options.createRegistry(config),
      catalog,
      guardrails,
      maxAgeMs: config.SURGE_DECISION_MAX_AGE_MS,
      timings: {
        retry: {
          retries: config.SURGE_EXECUTOR_RETRIES,
          baseDelayMs: config.SURGE_EXECUTOR_RETRY_BASE_MS,
          maxDelayMs: config.SURGE_EXECUTOR_RETRY_MAX_MS,
        },
        attemptTimeoutMs: config.SURGE_EXECUTOR_ATTEMPT_TIMEOUT_MS,
        verifyTimeoutMs: config.SURGE_VERIFY_TIMEOUT_MS,
        verifyIntervalMs: config.SURGE_VERIFY_INTERVAL_MS,
      },
      observeIntervalMs: config.SURGE_OBSERVE_INTERVAL_MS,
      metrics: new ExecutorMetrics(metrics.registry, () => guardrails.current().paused),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.redis.connect();
    const kafka = createKafka({
      brokers: this.options.config.KAFKA_BROKERS,
      clientId: `${this.options.appName}-admin`,
    });
    const t = this.topics;
    await ensureTopics(
      kafka,
      [t.decisions, t.actions, t.samples, t.deadLetter, t.control],
      this.options.config.SURGE_TOPIC_PARTITIONS,
      this.options.config.SURGE_TOPIC_REPLICATION,
    );
    await this.runtime.start();
    this.health.register('redis', async () => void (await this.redis.ping()));
    this.health.register('decisions-consumer', () => {
      if (!this.runtime.isConsuming()) throw new Error('not consuming decisions');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.logger.log('stopping: finishing in-flight decisions');
    await this.runtime.stop();
    await this.producer.disconnect();
    this.redis.disconnect();
  }
}

@Module({})
export class ExecutorAppModule {
  static forRoot(options: ExecutorAppOptions): DynamicModule {
    return {
      module: ExecutorAppModule,
      imports: [ObservabilityModule.forRoot({ appName: options.appName, logLevel: options.config.LOG_LEVEL })],
      providers: [{ provide: OPTIONS, useValue: options }, ExecutorHost],
    };
  }
}
