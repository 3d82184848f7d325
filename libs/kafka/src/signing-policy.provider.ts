import type { FactoryProvider } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { KAFKA_MODULE_OPTIONS, type KafkaModuleOptions } from './kafka-module.options';
import { KAFKA_TOPICS, SIGNING_POLICY } from './kafka.tokens';
import { type SigningPolicy, signingPolicyFor } from './signing-policy';

/** Built when the module starts, so a missing or malformed key fails the boot instead of the first send. */
export const signingPolicyProvider: FactoryProvider<SigningPolicy> = {
  provide: SIGNING_POLICY,
  inject: [KAFKA_MODULE_OPTIONS, KAFKA_TOPICS],
  useFactory: ({ config, signing, clientId }: KafkaModuleOptions, topics: Topics) =>
    signingPolicyFor(config, signing, topics, clientId),
};
