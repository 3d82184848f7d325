import { type PoisonTally, poisonTopic, watchDeadLetters } from './poison-fuzzer';
import { startPoisonConsumers } from './poison-consumers';

/** Starts the consumers, poisons each consumer topic in turn, stops them; `onTally` sees each as it finishes. */
export async function runPoisonFuzz(
  count: number,
  onTally: (tally: PoisonTally) => void = () => undefined,
): Promise<PoisonTally[]> {
  const consumers = await startPoisonConsumers();
  const admin = consumers.kafka.admin();
  const producer = consumers.kafka.producer();
  await admin.connect();
  await producer.connect();
  const deadLetters = await watchDeadLetters(consumers.kafka, consumers.topics.deadLetter);
  try {
    const tallies: PoisonTally[] = [];
    for (const target of consumers.targets) {
      const tally = await poisonTopic(target, { admin, producer, deadLetters }, count);
      tallies.push(tally);
      onTally(tally);
    }
    return tallies;
  } finally {
    await deadLetters.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await consumers.close();
  }
}
