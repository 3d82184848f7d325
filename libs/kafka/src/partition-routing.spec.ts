import { type Kafka, type PartitionMetadata, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PartitionRouting } from './partition-routing';

const partitions = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));

/** An admin stand-in answering with `answers` in turn (a count of partitions, or an error). */
function fakeKafka(answers: (number | Error)[]) {
  let fetches = 0;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
        const answer = answers[Math.min(fetches++, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return { topics: topics.map((name) => ({ name, partitions: partitions(answer) })) };
      },
    }),
  } as unknown as Kafka;
  return { kafka, fetches: () => fetches };
}

const keyed = (key: string) => ({ key, value: key });

describe('PartitionRouting', () => {
  it('groups messages by topic-partition as the Java-compatible partitioner would, in send order', async () => {
    const fake = fakeKafka([4]);
    const routing = new PartitionRouting(fake.kafka);
    const messages = ['a', 'b', 'c', 'd', 'e', 'f', 'a2', 'b2'].map(keyed);
    const routed = await routing.route([
      { topic: 'samples', messages },
      { topic: 'actions', messages: [keyed('x')] },
    ]);
    const partitioner = Partitioners.DefaultPartitioner();
    for (const group of routed)
      for (const message of group.messages) {
        expect(message.partition).toBe(group.partition);
        const unrouted = keyed(String(message.key));
        expect(partitioner({ topic: group.topic, partitionMetadata: partitions(4), message: unrouted })).toBe(
          group.partition,
        );
      }
    const samples = routed.filter((g) => g.topic === 'samples');
    expect(samples.flatMap((g) => g.messages.map((m) => m.value)).sort()).toEqual(messages.map((m) => m.value).sort());
    for (const group of samples)
      expect(group.messages.map((m) => m.value)).toEqual(
        messages.map((m) => m.value).filter((v) => group.messages.some((m) => m.value === v)),
      );
    expect(routed.filter((g) => g.topic === 'actions')).toHaveLength(1);
  });

  it('looks a topic up once per max age, and concurrent sends share the lookup', async () => {
    const fake = fakeKafka([2, 3]);
    const routing = new PartitionRouting(fake.kafka, 60_000);
    await Promise.all([
      routing.route([{ topic: 't', messages: [keyed('a')] }]),
      routing.route([{ topic: 't', messages: [keyed('b')] }]),
    ]);
    await routing.route([{ topic: 't', messages: [keyed('c')] }]);
    expect(fake.fetches()).toBe(1);
  });

  it('keeps routing with the partitions it knew when a later lookup fails, and leaves kafkajs to route with none known', async () => {
    const down = new Error('brokers unreachable');
    const fake = fakeKafka([2, down]);
    const routing = new PartitionRouting(fake.kafka, 0);
    const first = await routing.route([{ topic: 't', messages: [keyed('a')] }]);
    const again = await routing.route([{ topic: 't', messages: [keyed('a')] }]);
    expect(fake.fetches()).toBe(2);
    expect(again).toEqual(first);
    // No partition chosen: the send goes to kafkajs whole, which routes (and retries) it as it always has.
    expect(await new PartitionRouting(fakeKafka([down]).kafka).route([{ topic: 't', messages: [keyed('a')] }])).toEqual(
      [{ topic: 't', messages: [keyed('a')] }],
    );
  });
});
