import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { ConfigurationError, kafkaSecurityProblems } from '@surge/config';
import { kafkaClientProvider } from './kafka-client.provider';
import { KafkaConnection } from './kafka-connection.service';
import { KafkaConsumers } from './kafka-consumers.service';
import { KAFKA_MODULE_OPTIONS, type KafkaModuleOptions } from './kafka-module.options';
import { kafkaTopicsProvider } from './kafka-topics.provider';
import { KAFKA_CLIENT, KAFKA_TOPICS, SIGNING_POLICY } from './kafka.tokens';
import { signingPolicyProvider } from './signing-policy.provider';
import { SurgeProducer } from './surge-producer';
import { surgeProducerProvider } from './surge-producer.provider';

/**
 * The one Kafka module of a Surge app: the client (KAFKA_CLIENT), the idempotent producer (SurgeProducer), the
 * topic names in force (KAFKA_TOPICS), topic creation at start (KafkaConnection) and the consumers
 * (KafkaConsumers), with their shutdown in order. Global: an app has one, and any of its modules may inject it.
 */
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    const base: Provider[] = [{ provide: KAFKA_MODULE_OPTIONS, useValue: options }, kafkaTopicsProvider];
    if (!options.config.KAFKA_BROKERS?.length) {
      if (!options.optional) throw new ConfigurationError(`${options.clientId}: KAFKA_BROKERS is required`);
      // Without Kafka only the names exist; the app injects the client, producer and consumers @Optional().
      return { module: KafkaModule, global: true, providers: base, exports: [KAFKA_TOPICS] };
    }
    // Checked here, while the module is declared, so a half-configured SASL or TLS fails the boot at once.
    const problems = kafkaSecurityProblems(options.config);
    if (problems.length) throw new ConfigurationError(`${options.clientId}: ${problems.join('; ')}`);
    return {
      module: KafkaModule,
      global: true,
      providers: [
        ...base,
        kafkaClientProvider,
        signingPolicyProvider,
        surgeProducerProvider,
        KafkaConnection,
        KafkaConsumers,
      ],
      exports: [KAFKA_CLIENT, KAFKA_TOPICS, SIGNING_POLICY, SurgeProducer, KafkaConnection, KafkaConsumers],
    };
  }
}
