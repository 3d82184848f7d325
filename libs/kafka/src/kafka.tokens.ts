/**
 * Nest injection tokens of the Kafka module. The producer is injected by its class (`SurgeProducer`); the client
 * and the topic names in force, which have no class of their own, by these.
 */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_TOPICS = Symbol('KAFKA_TOPICS');
export const SIGNING_POLICY = Symbol('SIGNING_POLICY');
