import type { FactoryProvider } from '@nestjs/common';
import { topicsFrom } from '@surge/config';
import type { Topics } from '@surge/contracts';
import { KAFKA_MODULE_OPTIONS, type KafkaModuleOptions } from './kafka-module.options';
import { KAFKA_TOPICS } from './kafka.tokens';

/** The topic names in force, read from the validated config (SURGE_TOPIC_*), never from the environment. */
export const kafkaTopicsProvider: FactoryProvider<Topics> = {
  provide: KAFKA_TOPICS,
  inject: [KAFKA_MODULE_OPTIONS],
  useFactory: ({ config }: KafkaModuleOptions) => topicsFrom(config),
};
