import { randomUUID } from 'node:crypto';
import { type KafkaCluster, startKafkaCluster } from '@surge/harness';
import { type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, ensureTopics } from './index';

/**
 * A fresh three-node cluster (private, started by the harness): right after start-up not every node has the new
 * topics' leaders in its metadata, and kafkajs' own waitForLeaders asks one node and gives up on its first
 * LEADER_NOT_AVAILABLE. ensureTopics must return only when every partition has a leader any node will name.
 */
describe('ensureTopics on a fresh three-node cluster', () => {
  let cluster: KafkaCluster;
  let kafka: Kafka;

  beforeAll(async () => {
    cluster = await startKafkaCluster();
    kafka = createKafka({ brokers: cluster.brokers.split(','), clientId: 'ensure-topics-cluster-test' });
  }, 150_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('creates replicated topics whose every partition has a leader that answers, and three replicas', async () => {
    const topics = Array.from({ length: 6 }, () => `t-${randomUUID()}`);
    expect((await ensureTopics(kafka, topics, 6, 3)).sort()).toEqual([...topics].sort());

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      for (const topic of described) {
        expect(topic.partitions).toHaveLength(6);
        for (const partition of topic.partitions) {
          expect(partition.leader).toBeGreaterThan(0);
          expect(partition.replicas).toHaveLength(3);
        }
      }
    } finally {
      await admin.disconnect();
    }
    // A producer with acks=all writes to every partition at once, without a retry for a missing leader.
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: topics.map((topic) => ({
          topic,
          messages: Array.from({ length: 6 }, (_, partition) => ({ partition, value: 'x' })),
        })),
      });
    } finally {
      await producer.disconnect();
    }
    expect(await ensureTopics(kafka, topics, 6, 3)).toEqual([]);
  }, 120_000);

  it('keeps accepting acks=all writes with one of three nodes killed, and counts the node again after restart', async () => {
    const topic = `t-${randomUUID()}`;
    await ensureTopics(kafka, [topic], 3, 3);
    await cluster.kill9(0);
    // Once the controller has fenced the dead node (its broker session expires), metadata stops naming it and
    // every partition it led has a new leader; a client connecting before that may be sent to the dead node.
    const watcher = kafka.admin();
    await watcher.connect();
    try {
      await expect
        .poll(async () => (await watcher.describeCluster().catch(() => ({ brokers: [0, 1, 2] }))).brokers.length, {
          timeout: 60_000,
          interval: 500,
        })
        .toBe(2);
    } finally {
      await watcher.disconnect();
    }
    // A plain producer: what is under test is that the cluster keeps taking acks=all writes. It retries a produce that
    // timed out while a leader moved, so a write may land twice (SurgeProducer's own specs cover exactly-once).
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let i = 0; i < 20; i++)
        await producer.send({ topic, acks: -1, messages: [{ key: `k${i % 3}`, value: String(i) }] });
    } finally {
      await producer.disconnect();
    }
    await cluster.restart(0);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // The restarted node registers with the controller a moment after its port answers.
      await expect
        .poll(async () => (await admin.describeCluster()).brokers.length, { timeout: 60_000, interval: 500 })
        .toBe(3);
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBeGreaterThanOrEqual(20);
    } finally {
      await admin.disconnect();
    }
  }, 150_000);
});
