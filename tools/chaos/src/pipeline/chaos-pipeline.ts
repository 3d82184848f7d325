import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { topicEnvFor } from '@surge/config';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import {
  freePort,
  type LocalKafka,
  type PrivatePostgres,
  type PrivateRedis,
  repoRoot,
  SERVICES,
  ServiceSupervisor,
  signingEnvOf,
  startLocalKafka,
  startPrivatePostgres,
  startPrivateRedis,
  queueKeyEncryptionFile,
  startService,
} from '@surge/harness';
import { testSigningKeys } from '@surge/signing/testing';
import { API, WEB, writePipelineFiles } from './pipeline-files';

/** The services of the pipeline under test, as `npm start` runs them; ingest has experiments of its own. */
export const PIPELINE_SERVICES = ['audit-log', 'virtual-queue', 'rules-engine', 'executor-k8s'] as const;
export type PipelineService = (typeof PIPELINE_SERVICES)[number];

export interface ChaosPipeline {
  /** The brokers every service, the test bed and the readers use. */
  brokers: string;
  /** The run's own broker, when the experiment stops Kafka; absent on the shared one. */
  kafka?: LocalKafka;
  bed: ExecutorTestBed;
  api: KubeApiStandIn;
  redis: PrivateRedis;
  postgres: PrivatePostgres;
  auditSchema: string;
  adminToken: string;
  supervisors: Map<PipelineService, ServiceSupervisor>;
  /** The service's URL (its port does not change across restarts). */
  url(name: PipelineService): string;
  /** What the supervisors said: restarts, and the service ready again. */
  supervisorLines: string[];
  stop(): Promise<void>;
}

export interface ChaosPipelineOptions {
  /** The Redis of the room, the executors and the rules engine keeps an append-only file (everysec), as npm start's room Redis. */
  appendonly: boolean;
  /** A broker of the run's own, for experiments that stop Kafka; otherwise the shared one, never stopped. */
  privateKafka?: boolean;
}

/**
 * The pipeline from dist, each service under the harness's ServiceSupervisor as `npm start` runs it, on servers
 * of the run's own wherever the experiment may stop one: a private Redis (the room's, the executors' and the
 * rules engine's state) and a private PostgreSQL (the audit table). Kafka is the shared broker, never stopped
 * here, on topics and groups of the run alone, unless the experiment asks for a private one (to stop it). The
 * Kubernetes API is the stand-in, which records every PATCH.
 */
export async function startChaosPipeline(options: ChaosPipelineOptions): Promise<ChaosPipeline> {
  const dir = mkdtempSync(path.join(tmpdir(), 'surge-chaos-pipeline-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const kafka = options.privateKafka ? await startLocalKafka() : undefined;
    if (kafka) cleanups.push(() => kafka.stop());
    const brokers = kafka?.brokers ?? process.env['KAFKA_BROKERS']!;
    const redis = await startPrivateRedis({ appendonly: options.appendonly });
    cleanups.push(() => redis.stop());
    const postgres = await startPrivatePostgres({ database: 'audit' });
    cleanups.push(() => postgres.stop());
    const api = new KubeApiStandIn();
    await api.start();
    cleanups.push(() => api.stop());
    api.addWorkload('shop', 'Deployment', 'web', WEB.start);
    api.addWorkload('shop', 'Deployment', 'api', API.start);
    const bed = new ExecutorTestBed(1, brokers, redis.url);
    // The bed's own Redis client sees the experiment's Redis faults too: they are expected, not worth a stack trace.
    bed.redis.on('error', () => undefined);
    await bed.start();
    cleanups.push(() => bed.stop());
    const files = writePipelineFiles(dir);
    const adminToken = randomBytes(24).toString('base64url');
    const auditSchema = `chaos_${bed.run}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: brokers,
      ...topicEnvFor(bed.topics),
      SURGE_TOPIC_PARTITIONS: '1',
      REDIS_URL: redis.url,
      DATABASE_URL: postgres.url,
      SURGE_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      CHAOS_KUBECONFIG: readFileSync(api.writeKubeconfig(), 'utf8'),
      SURGE_TARGETS_FILE: files.targetsFile,
      SURGE_EXECUTOR_GROUP: `chaos-${bed.run}-k8s`,
      SURGE_OBSERVE_INTERVAL_MS: '1000',
      VQ_ROOMS_FILE: files.roomsFile,
      VQ_DECISION_GROUP: `chaos-${bed.run}-vq`,
      VQ_JOIN_LIMIT_PER_IP: '1000000',
      VQ_KEY_ENCRYPTION_KEY_FILE: queueKeyEncryptionFile(dir),
      SURGE_POLICIES_DIR: files.policiesDir,
      SURGE_RULES_GROUP_ID: `chaos-${bed.run}-rules`,
      SURGE_AUDIT_GROUP_ID: `chaos-${bed.run}-audit`,
      SURGE_AUDIT_SCHEMA: auditSchema,
    };
    const supervisorLines: string[] = [];
    const supervisors = new Map<PipelineService, ServiceSupervisor>();
    const urls = new Map<PipelineService, string>();
    cleanups.push(async () => {
      for (const supervisor of supervisors.values()) supervisor.holdRestarts();
      await Promise.all([...supervisors.values()].map((supervisor) => supervisor.stop()));
    });
    // Started together rather than one by one as npm start does: on two shared cores a serial boot of four
    // services takes most of an experiment's budget.
    await Promise.all(
      PIPELINE_SERVICES.map(async (name) => {
        const spec = SERVICES.find((s) => s.name === name)!;
        const port = await freePort();
        urls.set(name, `http://127.0.0.1:${port}`);
        // Each service signs as its role, with the keys this process's test bed verifies and signs with.
        const serviceEnv = { ...env, ...signingEnvOf(spec, testSigningKeys()) };
        const supervisor = new ServiceSupervisor(
          name,
          () => startService(repoRoot(), name, spec.entry, port, serviceEnv, 120_000),
          { say: (line) => supervisorLines.push(`${new Date().toISOString()} ${line}`) },
        );
        supervisors.set(name, supervisor);
        await supervisor.start();
      }),
    );
    return {
      brokers,
      kafka,
      bed,
      api,
      redis,
      postgres,
      auditSchema,
      adminToken,
      supervisors,
      supervisorLines,
      url: (name) => urls.get(name)!,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
