import { createHash } from 'node:crypto';
import { leadingZeroBits } from '@surge/queue-core';

/** A Node client's solver (tests, the bench): the challenge's hash state is copied, not rebuilt, per try. */
export function solveJoinChallenge(challenge: string, difficulty: number): string {
  const prefix = createHash('sha256').update(challenge);
  for (let counter = 0; ; counter++)
    if (leadingZeroBits(prefix.copy().update(String(counter)).digest()) >= difficulty) return String(counter);
}

/** A counter that does not solve it: what a client that skipped the work would send. */
export function nonSolution(challenge: string, difficulty: number): string {
  for (let counter = 0; ; counter++)
    if (
      leadingZeroBits(
        createHash('sha256')
          .update(challenge + counter)
          .digest(),
      ) < difficulty
    )
      return String(counter);
}

export interface IssuedChallenge {
  required: boolean;
  challenge: string;
  difficulty: number;
}

/** Asks the queue at `base` for a challenge as the holder of `cookie` (if any) and solves it. */
export async function solvedChallenge(
  base: string,
  room: string,
  headers: Record<string, string> = {},
): Promise<{ challenge: string; solution: string; difficulty: number }> {
  const response = await fetch(`${base}/v1/rooms/${room}/challenge`, { headers });
  const issued = (await response.json()) as IssuedChallenge;
  if (!issued.required) throw new Error(`room ${room} asks for no join challenge`);
  return { ...issued, solution: solveJoinChallenge(issued.challenge, issued.difficulty) };
}
