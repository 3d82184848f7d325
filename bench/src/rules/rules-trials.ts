import type { ChildProcess } from 'node:child_process';
import { sampleEnvelope } from '@surge/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { freePort } from '@surge/harness';
import { cpuSecondsOf } from '../process-cpu';
import { evaluations, startEngine } from './rules-bench-steps';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One measured pass over the same produced messages. */
export interface Trial {
  samplesPerSecond: number;
  /** CPU the consumer spent per sample, user + system: steadier than wall time on a shared machine. */
  cpuMicrosPerSample: number;
}

/** The plain kafkajs consumer that only decodes: kafkajs defaults, one message at a time, in this process. */
export async function baselineTrial(
  kafka: Kafka,
  topic: string,
  groupId: string,
  messages: number,
  samples: number,
): Promise<Trial> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let decoded = 0;
  let start = 0;
  let end = 0;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!start) {
        start = performance.now();
        cpuStart = process.cpuUsage();
      }
      sampleEnvelope.parse(JSON.parse(message.value!.toString()));
      decoded += 1;
      end = performance.now();
      if (decoded === messages) cpu = process.cpuUsage(cpuStart);
    },
  });
  while (decoded < messages) await sleep(50);
  await consumer.disconnect();
  return {
    samplesPerSecond: samples / ((end - start) / 1000),
    cpuMicrosPerSample: (cpu!.user + cpu!.system) / samples,
  };
}

export interface EngineRun extends Trial {
  engine: ChildProcess;
  port: number;
}

/** Offsets the group has committed on the topic, summed over its partitions. */
async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/**
 * A fresh rules-engine process (its own consumer group and Redis prefix) evaluates every produced message. The
 * span runs from the first evaluation its /metrics reports until its group has committed the last message, so
 * boot and policy loading are not counted. The end is read from the broker, not by scraping the engine, which
 * would spend the engine's CPU at a rate no Prometheus scrapes.
 */
export async function engineTrial(
  kafka: Kafka,
  root: string,
  env: NodeJS.ProcessEnv & { SURGE_RULES_GROUP_ID: string; SURGE_TOPIC_SAMPLES: string },
  messages: number,
  samples: number,
): Promise<EngineRun> {
  const port = await freePort();
  const engine = startEngine(root, { ...env, PORT: String(port) });
  const pid = engine.pid!;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const alive = () => {
      if (engine.exitCode !== null) throw new Error(`the rules-engine exited with ${engine.exitCode}`);
    };
    while ((await evaluations(port)) <= 0) {
      alive();
      await sleep(20);
    }
    const first = performance.now();
    const cpuFirst = cpuSecondsOf(pid);
    while ((await committed(admin, env.SURGE_RULES_GROUP_ID, env.SURGE_TOPIC_SAMPLES)) < messages) {
      alive();
      await sleep(20);
    }
    const last = performance.now();
    const cpuLast = cpuSecondsOf(pid);
    if ((await evaluations(port)) < messages)
      throw new Error('the rules-engine committed messages it did not evaluate');
    return {
      samplesPerSecond: samples / ((last - first) / 1000),
      cpuMicrosPerSample: ((cpuLast - cpuFirst) * 1e6) / samples,
      engine,
      port,
    };
  } finally {
    await admin.disconnect();
  }
}

export async function stopEngine(run: EngineRun): Promise<void> {
  if (run.engine.exitCode !== null || run.engine.signalCode !== null) return;
  const exited = new Promise((resolve) => run.engine.once('exit', resolve));
  run.engine.kill('SIGTERM');
  await exited;
}
