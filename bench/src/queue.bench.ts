import path from 'node:path';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '@surge/harness';
import { QueueRepository } from '../../apps/virtual-queue/src/redis/queue.repository';
import { roomPrefix } from '../../apps/virtual-queue/src/redis/room-keys';
import {
  breakdown,
  cannon,
  configureRoom,
  fill,
  percentile,
  plainClientJoins,
  queueMac,
  startQueueProcess,
  ticketIdFor,
  usedMemory,
  visitorId,
} from './queue/queue-bench-steps';
import { joinGateFigures, measureJoinGate, type JoinGateFigures } from './queue/join-gate-steps';
import { hasWrk, wrkJoins } from './queue/wrk-joins';
import { formatNumber, machineInfo, publishResult } from './report';
import { DEFAULT_JOIN_CHALLENGE_DIFFICULTY } from '@surge/queue-core';

/**
 * `npm run bench:queue`, on a redis-server of its own. Join throughput over HTTP (autocannon) against a plain
 * ioredis client running the same scripts; bytes per waiting visitor at WAITING visitors from INFO memory with
 * a breakdown per structure; status lookup latency at that depth; admissions per second.
 */
const WAITING = Number(process.env.BENCH_QUEUE_WAITING ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_QUEUE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_QUEUE_CONNECTIONS ?? 64);
const STATUS_CONNECTIONS = Number(process.env.BENCH_QUEUE_STATUS_CONNECTIONS ?? 4);
const SOLVES = Number(process.env.BENCH_QUEUE_SOLVES ?? 30);
// The server's work per gated join is one HMAC and one SHA-256 whatever the difficulty: 1 bit keeps pre-solving cheap.
const GATE_BENCH_DIFFICULTY = 1;
const PREFIX = 'bench:';
const root = path.resolve(__dirname, '../../..');

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  const client = new Redis(redis.url, { enableAutoPipelining: true });
  const repo = new QueueRepository(client, PREFIX);
  const app = await startQueueProcess(root, redis.url, PREFIX);
  try {
    await configureRoom(app.url, 'joins', { maxActive: 0, heartbeatTimeoutSeconds: 3600 });
    let n = 0;
    const joinOptions = (duration: number) => ({
      url: `${app.url}/v1/rooms/joins/join`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      connections: CONNECTIONS,
      duration,
      requests: [
        { setupRequest: (request: object) => ({ ...request, body: JSON.stringify({ visitorId: `h${n++}` }) }) },
      ],
    });
    process.stderr.write(
      `bench: join throughput, ${SECONDS} s over ${CONNECTIONS} connections (${hasWrk() ? 'wrk' : 'autocannon'})\n`,
    );
    let httpJoinRate: number;
    let joinP99: number;
    if (hasWrk()) {
      await wrkJoins(`${app.url}/v1/rooms/joins/join`, 2, CONNECTIONS, 'warm');
      const joins = await wrkJoins(`${app.url}/v1/rooms/joins/join`, SECONDS, CONNECTIONS, 'run');
      if (joins.non2xx > 0 || joins.requests === 0) throw new Error(`${joins.non2xx} joins failed`);
      httpJoinRate = joins.requestsPerSecond;
      joinP99 = joins.p99Ms;
    } else {
      await cannon(joinOptions(2) as never);
      const joins = await cannon(joinOptions(SECONDS) as never);
      if (joins.non2xx > 0) throw new Error(`${joins.non2xx} joins failed`);
      httpJoinRate = joins['2xx'] / ((new Date(joins.finish).getTime() - new Date(joins.start).getTime()) / 1000);
      joinP99 = joins.latency.p99;
    }
    await configureRoom(app.url, 'baseline', { maxActive: 0, heartbeatTimeoutSeconds: 3600 });
    const baselineRate = await plainClientJoins(repo, 'baseline', SECONDS, CONNECTIONS);

    process.stderr.write(`bench: filling ${WAITING} waiting visitors\n`);
    await configureRoom(app.url, 'mem', { maxActive: 0, heartbeatTimeoutSeconds: 3600 });
    await client.memory('PURGE').catch(() => undefined);
    const before = await usedMemory(client);
    const fillSeconds = await fill(repo, 'mem', WAITING);
    const after = await usedMemory(client);
    const bytesPerVisitor = (after - before) / WAITING;
    const structures = await breakdown(client, roomPrefix(PREFIX, 'mem'));

    process.stderr.write('bench: status lookups at depth\n');
    const ticketIds = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        ticketIdFor(client, PREFIX, 'mem', visitorId(Math.floor(((i + 0.5) / 2000) * WAITING))),
      ),
    );
    let k = 0;
    const status = await cannon({
      url: `${app.url}/`,
      connections: STATUS_CONNECTIONS,
      duration: SECONDS,
      requests: [
        { setupRequest: (r: object) => ({ ...r, path: `/v1/rooms/mem/tickets/${ticketIds[k++ % ticketIds.length]}` }) },
      ],
    } as never);
    if (status.non2xx > 0) throw new Error(`${status.non2xx} status lookups failed`);
    const scriptLatencies: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const started = performance.now();
      await repo.status('mem', visitorId(Math.floor(Math.random() * WAITING)), true);
      scriptLatencies.push(performance.now() - started);
    }
    scriptLatencies.sort((a, b) => a - b);

    process.stderr.write('bench: admissions\n');
    await configureRoom(app.url, 'mem', {
      maxActive: 10_000_000,
      admitPerMinute: 10_000_000,
      heartbeatTimeoutSeconds: 3600,
    });
    await repo.admit('mem', 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let admitted = 0;
    const admitStarted = Date.now();
    while (Date.now() - admitStarted < 3000) admitted += (await repo.admit('mem', 5000))!.admitted;
    const admissionRate = admitted / ((Date.now() - admitStarted) / 1000);

    // Last: the gate's single-use marks expire two minutes on, and must not shrink the memory figure above.
    let gate: JoinGateFigures | null = null;
    if (hasWrk()) {
      process.stderr.write('bench: join gate\n');
      await configureRoom(app.url, 'gated-plain', { maxActive: 0, heartbeatTimeoutSeconds: 3600 });
      await configureRoom(app.url, 'gated', {
        maxActive: 0,
        heartbeatTimeoutSeconds: 3600,
        joinChallenge: { difficulty: GATE_BENCH_DIFFICULTY },
      });
      gate = await measureJoinGate({
        url: app.url,
        room: 'gated',
        mac: await queueMac(client, PREFIX),
        seconds: SECONDS,
        connections: CONNECTIONS,
        expectedRate: httpJoinRate,
        benchDifficulty: GATE_BENCH_DIFFICULTY,
        difficulty: DEFAULT_JOIN_CHALLENGE_DIFFICULTY,
        solves: SOLVES,
      });
    }

    const goals = [
      { name: 'join throughput', target: '≥ 10,000 joins/s', met: httpJoinRate >= 10_000 },
      { name: 'memory', target: '≤ 200 bytes per waiting visitor', met: bytesPerVisitor <= 200 },
      { name: 'status lookups', target: 'p99 < 5 ms', met: status.latency.p99 < 5 },
      { name: 'admissions', target: '≥ 10,000 admissions/s', met: admissionRate >= 10_000 },
      ...(gate?.chromiumSolveMs
        ? [
            {
              name: 'join gate',
              target: `Chromium solves ${DEFAULT_JOIN_CHALLENGE_DIFFICULTY} bits in < 1 s (median)`,
              met: gate.chromiumSolveMs.median < 1000,
            },
          ]
        : []),
    ];
    const figures = [
      {
        name: `HTTP joins, one instance (${hasWrk() ? 'wrk' : 'autocannon'})`,
        value: Math.round(httpJoinRate),
        unit: 'joins/s',
        goal: goals[0]!.target,
      },
      { name: 'Baseline: plain ioredis client, same scripts', value: Math.round(baselineRate), unit: 'joins/s' },
      { name: 'Join latency p99 (HTTP)', value: Math.round(joinP99 * 100) / 100, unit: 'ms' },
      {
        name: `Memory per waiting visitor at ${WAITING} waiting`,
        value: Math.round(bytesPerVisitor * 10) / 10,
        unit: 'bytes',
        goal: goals[1]!.target,
      },
      { name: `Status lookup p50 (HTTP, ${STATUS_CONNECTIONS} connections)`, value: status.latency.p50, unit: 'ms' },
      {
        name: `Status lookup p99 (HTTP, ${STATUS_CONNECTIONS} connections)`,
        value: status.latency.p99,
        unit: 'ms',
        goal: goals[2]!.target,
      },
      {
        name: 'Status script p99 (one client)',
        value: Math.round(percentile(scriptLatencies, 99) * 1000) / 1000,
        unit: 'ms',
      },
      { name: 'Admissions', value: Math.round(admissionRate), unit: 'admissions/s', goal: goals[3]!.target },
      ...joinGateFigures(gate, goals[4]?.target),
    ];
    const perStructure = Object.entries(structures).map(
      ([kind, s]) =>
        `| \`${kind}\` | ${formatNumber(s.keys)} | ${formatNumber(s.bytes)} | ${(s.bytes / WAITING).toFixed(1)} |`,
    );
    const markdown = [
      `## Virtual queue (\`npm run bench:queue\`, ${new Date().toISOString().slice(0, 10)}, ${machineInfo().cpus} cores)`,
      '',
      '| measure | result | goal |',
      '| --- | --- | --- |',
      ...figures.map((f) => `| ${f.name} | ${formatNumber(f.value)} ${f.unit} | ${f.goal ?? ''} |`),
      '',
      `Memory by structure (MEMORY USAGE, ${formatNumber(WAITING)} waiting; INFO used_memory grew ${formatNumber(after - before)} bytes, fill took ${fillSeconds.toFixed(1)} s):`,
      '',
      '| structure | keys | bytes | bytes/visitor |',
      '| --- | --- | --- | --- |',
      ...perStructure,
      '',
      `Machine: ${machineInfo().cpus} × ${machineInfo().cpuModel}, shared with the other Surge builds and tests running at the time; the load generator (wrk, else autocannon) runs on the same cores.`,
      '',
      ...(gate
        ? [
            `Join gate: joins through it carry challenges solved beforehand at ${GATE_BENCH_DIFFICULTY} bit (the server's check costs the same at any difficulty), compared with the plain HTTP joins above; the client's cost is measured at the default ${DEFAULT_JOIN_CHALLENGE_DIFFICULTY} bits, ${SOLVES} solves each, one after another on one core. Solve times are a geometric draw: expect wide spreads, and noise from the shared machine.`,
            '',
          ]
        : []),
      ...goals.map((g) => `- Goal ${g.name}: ${g.target}: **${g.met ? 'met' : 'not met'}**`),
      '',
      'Raw figures: `bench/results/queue.json`.',
    ].join('\n');
    publishResult({
      name: 'queue',
      title: 'Virtual queue',
      measuredAt: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        waiting: WAITING,
        seconds: SECONDS,
        connections: CONNECTIONS,
        statusConnections: STATUS_CONNECTIONS,
        solves: SOLVES,
        joinChallengeDifficulty: DEFAULT_JOIN_CHALLENGE_DIFFICULTY,
      },
      figures: figures.map(({ goal: _goal, ...f }) => f),
      goals,
      markdown,
    });
    process.stdout.write(`${markdown}\n`);
  } finally {
    await app.stop();
    await client.quit();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:queue failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
