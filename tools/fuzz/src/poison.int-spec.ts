import { describe, expect, it } from 'vitest';
import { runPoisonFuzz } from './kafka/run-poison-fuzz';
import { formatPoisonTable } from './report';

const COUNT = Number(process.env.FUZZ_CI_POISON ?? 50);

/** Every consumer of every service: the executor framework's through executor-k8s and the waiting room. */
const EVERY_CONSUMER = [
  'virtual-queue decisions',
  'virtual-queue control',
  'executor-k8s decisions',
  'executor-k8s control',
  'audit-log decisions',
  'audit-log actions',
  'audit-log queue events',
  'audit-log control',
  'audit-log dead letters',
  'rules-engine samples',
  'rules-engine observed',
  'rules-engine actions',
  'rules-engine control',
];

describe('fuzz: every Surge consumer dead-letters poison records and goes on', () => {
  it(
    'parks ~50 poison records per consumer topic with a reason, handles the valid one after, and keeps running',
    { timeout: 120_000 },
    async () => {
      const tallies = await runPoisonFuzz(COUNT, (t) =>
        process.stderr.write(`poison: ${t.consumer}: ${t.deadLettered}/${t.messages} parked, ${t.handled} handled\n`),
      );
      process.stdout.write(`${formatPoisonTable(tallies)}\n`);
      expect(tallies.map((t) => t.consumer)).toEqual(EVERY_CONSUMER);
      for (const tally of tallies) {
        expect(tally.messages, tally.consumer).toBeGreaterThanOrEqual(COUNT * 0.8);
        expect(tally.missing, tally.consumer).toEqual([]);
        expect(tally.deadLettered, tally.consumer).toBe(tally.messages);
        expect(tally.handled, tally.consumer).toBe(1);
        expect(tally.crashes, tally.consumer).toBe(0);
      }
    },
  );
});
