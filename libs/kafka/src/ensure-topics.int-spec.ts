import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKafka, ensureTopics } from './index';

const brokers = () => (process.env['KAFKA_BROKERS'] ?? '').split(',');

async function topicConfig(kafka: Kafka, topic: string): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe('ensureTopics with per-topic settings (real Kafka)', () => {
  let kafka: Kafka;

  beforeAll(() => {
    kafka = createKafka({ brokers: brokers(), clientId: 'ensure-topics-test' });
  });

  it('creates a topic with its settings and leaves the others at the broker default', async () => {
    const compacted = `t-${randomUUID()}`;
    const plain = `t-${randomUUID()}`;
    const created = await ensureTopics(kafka, [plain, compacted], 2, 1, {
      [compacted]: { 'cleanup.policy': 'compact' },
    });
    expect(created.sort()).toEqual([plain, compacted].sort());
    expect((await topicConfig(kafka, compacted))['cleanup.policy']).toBe('compact');
    expect((await topicConfig(kafka, plain))['cleanup.policy']).toBe('delete');
  });

  it('alters an existing topic created with the old settings, keeping what was set on it by hand', async () => {
    const topic = `t-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    });
    await admin.disconnect();
    expect((await topicConfig(kafka, topic))['cleanup.policy']).toBe('delete');

    expect(await ensureTopics(kafka, [topic], 1, 1, { [topic]: { 'cleanup.policy': 'compact' } })).toEqual([]);
    const altered = await topicConfig(kafka, topic);
    expect(altered['cleanup.policy']).toBe('compact');
    expect(altered['retention.ms']).toBe('3600000');
    // Called with the plain signature, as older callers do, an existing topic keeps its settings.
    await ensureTopics(kafka, [topic], 1);
    expect((await topicConfig(kafka, topic))['cleanup.policy']).toBe('compact');
  });
});
