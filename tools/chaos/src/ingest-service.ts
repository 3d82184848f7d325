import { randomBytes, randomUUID } from 'node:crypto';
import { freePort, repoRoot, type RunningService, SERVICES, ServiceSupervisor, startService } from '@surge/harness';

export interface ChaosIngest {
  url: string;
  topic: string;
  /** The one credential this ingest accepts, made for the run. */
  token: string;
  service: () => RunningService | null;
  /**
   * kill -9 the process; its ServiceSupervisor (as under npm start) starts it again on the same port. Resolves
   * once the supervisor has it ready again, or after `timeoutMs`; says whether it came back.
   */
  killAndAwaitRestart(timeoutMs?: number): Promise<boolean>;
  /** What the supervisor said (the restart, ready again). */
  supervisorLines: string[];
  stop(): Promise<void>;
}

/** metrics-ingest from dist, started the way `npm start` starts it, writing to a samples topic of its own. */
export async function startChaosIngest(brokers: string, replication: number): Promise<ChaosIngest> {
  const spec = SERVICES.find((s) => s.name === 'metrics-ingest');
  if (!spec) throw new Error('metrics-ingest is not in the npm start catalog');
  const topic = `chaos.samples.${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const token = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: brokers,
    SURGE_TOPIC_SAMPLES: topic,
    SURGE_INGEST_TOKEN: token,
    SURGE_TOPIC_PARTITIONS: '3',
    SURGE_TOPIC_REPLICATION: String(replication),
    LOG_LEVEL: 'warn',
  };
  const supervisorLines: string[] = [];
  const supervisor = new ServiceSupervisor(
    spec.name,
    () => startService(repoRoot(), spec.name, spec.entry, port, env, 90_000),
    { say: (line) => supervisorLines.push(line) },
  );
  const first = await supervisor.start();
  return {
    url: first.url,
    topic,
    token,
    service: () => supervisor.service,
    supervisorLines,
    killAndAwaitRestart: async (timeoutMs = 90_000) => {
      const killed = supervisor.service;
      if (!killed) return false;
      const exited = new Promise((resolve) => killed.child.once('exit', resolve));
      killed.child.kill('SIGKILL');
      await exited;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const current = supervisor.service;
        if (current && current !== killed) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
    stop: () => supervisor.stop(),
  };
}
