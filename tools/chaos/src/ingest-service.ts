import { randomBytes, randomUUID } from 'node:crypto';
import { freePort, repoRoot, type RunningService, SERVICES, startService, stopService } from '@surge/harness';

export interface ChaosIngest {
  url: string;
  topic: string;
  /** The one credential this ingest accepts, made for the run. */
  token: string;
  service: () => RunningService;
  /** kill -9 the process, then start it again on the same port, as a supervisor would; resolves once ready. */
  killAndRestart(): Promise<void>;
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
  const start = () => startService(repoRoot(), spec.name, spec.entry, port, env, 90_000);
  let service = await start();
  const kill = () => {
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  };
  return {
    url: service.url,
    topic,
    token,
    service: () => service,
    killAndRestart: async () => {
      const exited = new Promise((resolve) => service.child.once('exit', resolve));
      kill();
      await exited;
      service = await start();
    },
    stop: () => stopService(service),
  };
}
