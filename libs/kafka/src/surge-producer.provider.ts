import type { FactoryProvider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { KAFKA_MODULE_OPTIONS, type KafkaModuleOptions } from './kafka-module.options';
import { KAFKA_CLIENT, SIGNING_POLICY } from './kafka.tokens';
import type { SigningPolicy } from './signing-policy';
import { SurgeProducer } from './surge-producer';

/** The app's one idempotent producer, injected by its class; KafkaConnection connects and closes it. */
export const surgeProducerProvider: FactoryProvider<SurgeProducer> = {
  provide: SurgeProducer,
  inject: [KAFKA_CLIENT, SIGNING_POLICY, KAFKA_MODULE_OPTIONS],
  useFactory: (kafka: Kafka, policy: SigningPolicy, { config }: KafkaModuleOptions) =>
    new SurgeProducer(kafka, policy.signers, config.KAFKA_MAX_MESSAGE_BYTES),
};
