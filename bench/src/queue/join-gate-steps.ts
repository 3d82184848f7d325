import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_JOIN_CHALLENGE_DIFFICULTY, encodeJoinChallenge, JOIN_CHALLENGE_TTL_MS } from '@surge/queue-core';
import { launchHeadlessChromium } from '@surge/harness';
import { chromiumSolveTimes } from '../../../apps/virtual-queue/src/testing/chromium-solve-times';
import { solveJoinChallenge } from '../../../apps/virtual-queue/src/testing/solve-join-challenge';
import { percentile } from './queue-bench-steps';
import { runWrk, type WrkResult, wrkJoins } from './wrk-joins';

type Mac = (message: string) => string;

/** Each request takes the next line of the bodies file: a challenge is single use, so none may repeat. */
const GATED_JOINS_SCRIPT = `
local bodies = {}
local served = 0
function init(args) for line in io.lines(args[1]) do bodies[#bodies + 1] = line end end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  served = served + 1
  return wrk.format(nil, nil, nil, bodies[served] or '{}')
end
`;

function challengeFor(mac: Mac, room: string, difficulty: number): string {
  return encodeJoinChallenge(
    {
      room,
      visitor: null,
      expiresAtMs: Date.now() + JOIN_CHALLENGE_TTL_MS,
      difficulty,
      nonce: randomBytes(16).toString('base64url'),
    },
    mac,
  );
}

/**
 * `count` join bodies with solved challenges, as the queue would issue them (same format, same MAC): the server's
 * cost of the gate (HMAC, one SHA-256, the single-use mark) does not depend on the difficulty, so these are
 * solved at the room's low bench difficulty, and asking the queue for each would measure challenge requests.
 */
export function solvedJoinBodies(mac: Mac, room: string, difficulty: number, count: number): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'surge-gate-')), 'bodies.txt');
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const challenge = challengeFor(mac, room, difficulty);
    lines.push(JSON.stringify({ challenge, solution: solveJoinChallenge(challenge, difficulty) }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export function wrkGatedJoins(url: string, seconds: number, connections: number, bodies: string): Promise<WrkResult> {
  return runWrk(url, seconds, connections, GATED_JOINS_SCRIPT, [bodies]);
}

export function wrkChallenges(url: string, seconds: number, connections: number): Promise<WrkResult> {
  return runWrk(url, seconds, connections, '', []);
}

/** What a client pays: Node's solve time per challenge, in ms, at `difficulty`, one after another on one core. */
export function nodeSolveTimes(mac: Mac, room: string, difficulty: number, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const challenge = challengeFor(mac, room, difficulty);
    const started = performance.now();
    solveJoinChallenge(challenge, difficulty);
    times.push(performance.now() - started);
  }
  return times;
}

/** The waiting page's worker in headless Chromium; null when this machine has no Chromium. */
export async function chromiumTimes(base: string, difficulty: number, count: number): Promise<number[] | null> {
  const browser = await launchHeadlessChromium().catch(() => null);
  if (!browser) return null;
  try {
    return await chromiumSolveTimes(await browser.newPage(), base, difficulty, count);
  } finally {
    await browser.close();
  }
}

export interface JoinGateFigures {
  /** Plain HTTP joins measured right before the gated ones. */
  adjacentPlainRate: number;
  gatedJoinRate: number;
  gatedJoinP99: number;
  challengeRate: number;
  nodeSolveMs: { median: number; mean: number; p90: number };
  chromiumSolveMs: { median: number; mean: number; p90: number } | null;
}

function summary(times: number[]): { median: number; mean: number; p90: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    median: round(percentile(sorted, 50)),
    mean: round(sorted.reduce((sum, t) => sum + t, 0) / sorted.length),
    p90: round(percentile(sorted, 90)),
  };
}

/**
 * The join gate's two costs: the server's (joins/s with every check on, challenges/s) in room `room`, configured
 * at `benchDifficulty`, against plain joins in `<room>-plain` just before; the client's (solve times at `difficulty`, Node and Chromium, `solves` each).
 */
export async function measureJoinGate(input: {
  url: string;
  room: string;
  mac: Mac;
  seconds: number;
  connections: number;
  expectedRate: number;
  benchDifficulty: number;
  difficulty: number;
  solves: number;
}): Promise<JoinGateFigures> {
  const { url, room, mac, seconds, connections } = input;
  // Enough bodies for half again the plain rate: running out shows as failed joins, never as a faster figure.
  const bodies = solvedJoinBodies(
    mac,
    room,
    input.benchDifficulty,
    Math.ceil(input.expectedRate * seconds * 1.5) + 1000,
  );
  // Plain joins again, just before the gated ones: on a shared machine the load moves, so the pair stays comparable.
  const plain = await wrkJoins(`${url}/v1/rooms/${room}-plain/join`, seconds, connections, 'gate-baseline');
  const joins = await wrkGatedJoins(`${url}/v1/rooms/${room}/join`, seconds, connections, bodies);
  if (joins.non2xx > 0 || joins.requests === 0) throw new Error(`${joins.non2xx} gated joins failed`);
  const challenges = await wrkChallenges(`${url}/v1/rooms/${room}/challenge`, seconds, connections);
  if (challenges.non2xx > 0) throw new Error(`${challenges.non2xx} challenge requests failed`);
  const chromium = await chromiumTimes(url, input.difficulty, input.solves);
  return {
    adjacentPlainRate: plain.requestsPerSecond,
    gatedJoinRate: joins.requestsPerSecond,
    gatedJoinP99: joins.p99Ms,
    challengeRate: challenges.requestsPerSecond,
    nodeSolveMs: summary(nodeSolveTimes(mac, room, input.difficulty, input.solves)),
    chromiumSolveMs: chromium ? summary(chromium) : null,
  };
}

/** The gate's rows of the queue bench's table. */
export function joinGateFigures(
  gate: JoinGateFigures | null,
  chromiumGoal?: string,
): { name: string; value: number; unit: string; goal?: string }[] {
  if (!gate) return [];
  const bits = DEFAULT_JOIN_CHALLENGE_DIFFICULTY;
  const client = (who: string, ms: JoinGateFigures['nodeSolveMs'], goal?: string) => [
    {
      name: `${who}: solve time at ${bits} bits, median (mean, p90: ${ms.mean}, ${ms.p90} ms)`,
      value: ms.median,
      unit: 'ms',
      goal,
    },
    {
      name: `${who}: places per second one core can buy (1 / median solve)`,
      value: Math.round((1000 / ms.median) * 10) / 10,
      unit: 'places/s',
    },
    {
      name: `${who}: places per second one core buys sustained (1 / mean solve)`,
      value: Math.round((1000 / ms.mean) * 10) / 10,
      unit: 'places/s',
    },
  ];
  return [
    {
      name: 'HTTP joins without the gate, measured right before the gated ones (wrk)',
      value: Math.round(gate.adjacentPlainRate),
      unit: 'joins/s',
    },
    {
      name: 'HTTP joins through the join gate, every check on (wrk)',
      value: Math.round(gate.gatedJoinRate),
      unit: 'joins/s',
    },
    {
      name: 'Join latency p99 through the join gate (HTTP)',
      value: Math.round(gate.gatedJoinP99 * 100) / 100,
      unit: 'ms',
    },
    { name: 'Join challenges issued (HTTP GET, wrk)', value: Math.round(gate.challengeRate), unit: 'challenges/s' },
    ...client('Node solver', gate.nodeSolveMs),
    ...(gate.chromiumSolveMs ? client("Headless Chromium, the page's worker", gate.chromiumSolveMs, chromiumGoal) : []),
  ];
}
