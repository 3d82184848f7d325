import { describe, expect, it } from 'vitest';
import { runPoisonFuzz } from './kafka/run-poison-fuzz';
import { formatPoisonTable } from './report';

const COUNT = Number(process.env.FUZZ_CI_POISON ?? 50);

describe('fuzz: every Surge consumer dead-letters poison records and goes on', () => {
  it(
    'parks ~50 poison records per consumer topic with a reason, handles the valid one after, and keeps running',
    { timeout: 120_000 },
    async () => {
      const tallies = await runPoisonFuzz(COUNT);
      process.stdout.write(`${formatPoisonTable(tallies)}\n`);
      expect(tallies.length).toBeGreaterThanOrEqual(3);
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
