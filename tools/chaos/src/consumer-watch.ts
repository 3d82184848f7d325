import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** A consumer group that stays subscribed through the fault: tells whether consuming went on afterwards. */
export interface ConsumerWatch {
  lastMessageAt(): number;
  stop(): Promise<void>;
}

export async function watchConsumer(brokers: string, topic: string): Promise<ConsumerWatch> {
  const kafka = new Kafka({ clientId: 'surge-chaos-watch', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `chaos-watch-${randomUUID()}`, maxWaitTimeInMs: 200 });
  let last = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async () => {
      last = Date.now();
    },
  });
  return { lastMessageAt: () => last, stop: () => consumer.disconnect() };
}
