import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { leadingZeroBits } from '@surge/queue-core';
import { describe, expect, it } from 'vitest';
import { JOIN_CHALLENGE_SOLVER_JS } from './join-challenge-solver.script';

type Solver = { run(tries: number): string | null; tried(): number };
const context = vm.createContext({});
vm.runInContext(JOIN_CHALLENGE_SOLVER_JS, context);
const solver = (challenge: string, difficulty: number) =>
  (context['joinChallengeSolver'] as (c: string, d: number) => Solver)(challenge, difficulty);

describe("the page's join challenge solver", () => {
  // Lengths around SHA-256's block edges: the midstate and the one- or two-block tails must all hash right.
  it.each([1, 40, 55, 56, 63, 64, 65, 119, 120, 128, 150])(
    'finds a counter node:crypto agrees on, for a %i-byte challenge',
    (length) => {
      const challenge = 'Ab-_.9'.repeat(30).slice(0, length);
      const solution = solver(challenge, 10).run(1 << 22);
      expect(solution).toMatch(/^\d+$/);
      expect(
        leadingZeroBits(
          createHash('sha256')
            .update(challenge + solution)
            .digest(),
        ),
      ).toBeGreaterThanOrEqual(10);
    },
  );

  it('returns the first solving counter, resuming across calls', () => {
    const challenge = 'resume.challenge';
    let first = 0;
    while (
      leadingZeroBits(
        createHash('sha256')
          .update(challenge + first)
          .digest(),
      ) < 8
    )
      first++;
    const s = solver(challenge, 8);
    let found: string | null = null;
    while (found === null) found = s.run(3);
    expect(found).toBe(String(first));
    expect(s.tried()).toBe(first + 1);
  });
});
