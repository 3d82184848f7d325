import { describe, expect, it } from 'vitest';
import { formatTable } from './report';
import { runHttpFuzz } from './run-http-fuzz';

const COUNT = Number(process.env.FUZZ_CI_INPUTS ?? 500);

// The CI pass of `npm run fuzz`: the same generators, fewer inputs, a seed of its own each day so CI keeps exploring.
const SEED = Math.floor(Date.now() / 86_400_000);

describe('fuzz: every HTTP endpoint answers bad input with a 4xx and keeps answering', () => {
  it('has no 5xx and no crash over ~500 generated bad inputs per endpoint', { timeout: 240_000 }, async () => {
    const tallies = await runHttpFuzz({ count: COUNT, seed: SEED, concurrency: 4 });
    expect(tallies.length).toBeGreaterThanOrEqual(12);
    for (const tally of tallies) expect(tally.inputs).toBe(COUNT);
    process.stdout.write(`${formatTable({ generatedAt: '', seed: SEED, perEndpoint: COUNT, http: tallies })}\n`);
    const failures = tallies.filter((t) => t.status5xx > 0 || t.crashes > 0);
    expect(failures, `seed ${SEED}`).toEqual([]);
  });
});
