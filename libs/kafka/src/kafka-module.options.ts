import type { KafkaConfig, KafkaSecurityConfig, SigningConfig } from '@surge/config';
import type { TopicKey } from '@surge/contracts';
import type { SigningDeclaration } from './signing-policy';

/** The app's validated config, as far as Kafka goes; brokers may be absent for an app that runs without Kafka. */
export type KafkaModuleConfig = Omit<KafkaConfig, 'KAFKA_BROKERS' | keyof KafkaSecurityConfig> & {
  KAFKA_BROKERS?: string[];
} & Partial<KafkaSecurityConfig> &
  Partial<SigningConfig>;

export interface KafkaModuleOptions {
  /** The app's config, loaded once at boot; its schema spreads `kafkaEnv` (brokers, partitions, topic names). */
  config: KafkaModuleConfig;
  /** The client id when KAFKA_CLIENT_ID is unset: the app's name. */
  clientId: string;
  /** Topics created at start-up (with SURGE_TOPIC_PARTITIONS and SURGE_TOPIC_REPLICATION) if missing. */
  topics?: TopicKey[];
  /**
   * `at-start` (default): topics and producer are ready before the app boots, and a broker that stays down
   * fails the boot. `in-background`: the app boots at once and keeps retrying, for a service that must answer
   * (with 503) while Kafka is down; `KafkaConnection.isConnected` and the readiness check tell when it can produce.
   */
  connect?: 'at-start' | 'in-background';
  /** With no KAFKA_BROKERS configured, provide only the topic names instead of refusing to start. */
  optional?: boolean;
  /**
   * The steering topics this app signs and verifies (keys from the config's `signingEnv`). A module that declares
   * them refuses to start without keys unless SURGE_SIGNING_OPEN=true.
   */
  signing?: SigningDeclaration;
}

export const KAFKA_MODULE_OPTIONS = Symbol('KAFKA_MODULE_OPTIONS');
