import { randomUUID } from 'node:crypto';
import { type DeadLetterRecord, deadLetterRecord } from '@surge/contracts';
import type { SignerRole } from '@surge/signing';
import { testSigner } from '@surge/signing/testing';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { z } from 'zod';
import { type PoisonMessage, poisonMessages } from './poison-messages';

/** One consumer's topic, as the fuzzer sees it: where to write, who reads it, what a valid record looks like. */
export interface ConsumerTopic {
  consumer: string;
  topic: string;
  /**
   * Consumer groups reading the topic, each an id or the prefix of ids a service draws at start (the control
   * readers' `<group>-control-<random>`): their committed offsets say how far the consumer went.
   */
  groups: string[];
  schema: z.ZodType;
  valid: () => Record<string, unknown>;
  /**
   * For a signed topic, the role that signs it: every record is sent signed with its test key, so the poison gets
   * past the signature check to the decoding it is meant to try (refused signatures have tests of their own).
   */
  signer?: SignerRole;
  /** True while the service still answers (its liveness probe): false is a crash. */
  alive: () => Promise<boolean>;
  /**
   * Where the consumer parks what it cannot handle besides the dead-letter topic: partition-0 offsets with their
   * reason, and whether the record at an offset was handled. The audit log stores poison as `invalid` rows.
   */
  parking?: {
    parked: () => Promise<Map<string, string>>;
    handled: (offset: number) => Promise<boolean>;
  };
}

export interface PoisonTally {
  consumer: string;
  messages: number;
  deadLettered: number;
  handled: number;
  crashes: number;
  /** Poison that was not parked with a reason (lost, or still retried at the deadline): each one a defect. */
  missing: { kind: string; offset: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the dead-letter topic from the start, keeping the records of `topic`, by source offset. */
export async function watchDeadLetters(kafka: Kafka, deadLetterTopic: string) {
  const byTopic = new Map<string, Map<string, DeadLetterRecord>>();
  const keyOf = (group: string, topic: string) => `${group}\u0000${topic}`;
  const consumer: Consumer = kafka.consumer({ groupId: `fuzz-dlq-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // The dead-letter topic is poisoned too (the audit log reads it): what is not a dead letter is no one's.
      const parsed = deadLetterRecord.safeParse(parseJson(message.value));
      if (!parsed.success) return;
      const record = parsed.data;
      const key = keyOf(record.consumerGroup, record.source.topic);
      const offsets = byTopic.get(key) ?? new Map<string, DeadLetterRecord>();
      offsets.set(`${record.source.partition}@${record.source.offset}`, record);
      byTopic.set(key, offsets);
    },
  });
  return {
    /** Partition-0 offsets of `topic` that `groups` dead-lettered, with the reason. */
    of: (groups: string[], topic: string) => {
      const parked = new Map<string, string>();
      for (const [key, records] of byTopic)
        if (key.endsWith(`\u0000${topic}`) && groups.some((g) => key.startsWith(g)))
          for (const [at, record] of records) if (at.startsWith('0@')) parked.set(at.slice(2), record.reason);
      return parked;
    },
    stop: () => consumer.disconnect(),
  };
}

async function committed(admin: Admin, groups: string[], topic: string): Promise<number> {
  const { groups: listed } = await admin.listGroups();
  const ids = listed.map((g) => g.groupId).filter((id) => groups.some((g) => id.startsWith(g)));
  let best = -1;
  for (const groupId of ids) {
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const p of offsets[0]?.partitions ?? []) if (p.partition === 0) best = Math.max(best, Number(p.offset));
  }
  return best;
}

/**
 * Sends `count` poison records, then one valid record, to partition 0 of the topic with a plain producer, and waits
 * until the consumer's committed offset is past the valid one. Every poison record must be on the dead-letter topic
 * with its reason, the valid one must not, and the service must still answer.
 */
export async function poisonTopic(
  target: ConsumerTopic,
  kafka: { admin: Admin; producer: Producer; deadLetters: Awaited<ReturnType<typeof watchDeadLetters>> },
  count: number,
  timeoutMs = 30_000,
): Promise<PoisonTally> {
  const poison: PoisonMessage[] = poisonMessages(target.valid(), count * 2)
    .filter((m) => !isValid(target.schema, m.value))
    .slice(0, count);
  // One send per record: a request holding the huge ones together would pass the broker's request limit.
  const offsets: number[] = [];
  for (const m of [...poison, { key: 'valid', value: Buffer.from(JSON.stringify(target.valid())) }]) {
    const headers = target.signer && m.value ? testSigner(target.signer).headersFor(m.value) : undefined;
    const [sent] = await kafka.producer.send({ topic: target.topic, messages: [{ ...m, headers, partition: 0 }] });
    offsets.push(Number(sent!.baseOffset));
  }
  const validOffset = offsets[poison.length]!;
  // Parked: on the dead-letter topic by one of the groups, or kept by the consumer's own means, with a reason.
  const parkedNow = async () =>
    new Map([...kafka.deadLetters.of(target.groups, target.topic), ...((await target.parking?.parked()) ?? [])]);
  const handledValid = async () =>
    target.parking
      ? target.parking.handled(validOffset)
      : (await committed(kafka.admin, target.groups, target.topic)) > validOffset &&
        !(await parkedNow()).has(String(validOffset));
  // Other groups and earlier rounds park records on the same topic: only this round's offsets count.
  const missingNow = async () => {
    const parked = await parkedNow();
    return poison.map((m, i) => ({ kind: m.kind, offset: String(offsets[i]) })).filter((m) => !parked.get(m.offset));
  };
  const deadline = Date.now() + timeoutMs;
  let crashes = 0;
  while (Date.now() < deadline) {
    if (!(await target.alive())) {
      crashes += 1;
      break;
    }
    if ((await handledValid()) && (await missingNow()).length === 0) break;
    await sleep(200);
  }
  const missing = await missingNow();
  return {
    consumer: target.consumer,
    messages: poison.length,
    deadLettered: poison.length - missing.length,
    handled: (await handledValid()) ? 1 : 0,
    crashes,
    missing,
  };
}

function parseJson(value: Buffer | null): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
  } catch {
    return undefined;
  }
}

function isValid(schema: z.ZodType, value: Buffer | null): boolean {
  const json = parseJson(value);
  return json !== undefined && schema.safeParse(json).success;
}
