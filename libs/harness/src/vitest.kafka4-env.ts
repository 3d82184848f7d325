import { inject } from 'vitest';

/*
 * Setup file of the `kafka4` tier, run in each of its workers before a spec: the tier's Kafka 4.1 broker becomes
 * the KAFKA_BROKERS every spec (and every service it spawns) reads, and SURGE_KAFKA_LINE makes a broker a spec
 * starts of its own (a secure one) a Kafka 4 too.
 */
process.env.KAFKA_BROKERS = inject('kafka4Brokers');
process.env.SURGE_KAFKA_LINE = '4';
