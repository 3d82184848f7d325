import type { FactoryProvider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { createKafka } from './create-kafka';
import { kafkaSecurityFrom } from './kafka-security';
import { KAFKA_MODULE_OPTIONS, type KafkaModuleOptions } from './kafka-module.options';
import { KAFKA_CLIENT } from './kafka.tokens';

/** The app's one kafkajs client: the producer, the admin and every consumer of the module are made from it. */
export const kafkaClientProvider: FactoryProvider<Kafka> = {
  provide: KAFKA_CLIENT,
  inject: [KAFKA_MODULE_OPTIONS],
  useFactory: ({ config, clientId }: KafkaModuleOptions) =>
    createKafka({
      brokers: config.KAFKA_BROKERS ?? [],
      clientId: config.KAFKA_CLIENT_ID ?? clientId,
      ...kafkaSecurityFrom(config),
    }),
};
