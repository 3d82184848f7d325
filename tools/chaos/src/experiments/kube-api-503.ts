import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { topicEnvFor } from '@surge/config';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { freePort, repoRoot, SERVICES, signingEnvOf, startService, stopService } from '@surge/harness';
import { testSigningKeys } from '@surge/signing/testing';
import { type ExperimentResult } from '../experiment-result';
import { eventually, sleep, watchReadiness } from '../readiness-watch';

const DOWN_MS = 30_000;
const RECOVERY_LIMIT_MS = 60_000;

/**
 * executor-k8s from dist against the Kubernetes API stand-in, which answers 503 to everything for 30 s while a
 * decision arrives. Nothing is stopped (the shared Kafka and Redis are only used, on topics and keys of the run's
 * own). Readers: a fresh consumer of the actions topic, and the stand-in's own record of the patches it stored.
 */
export async function kubeApi503(): Promise<ExperimentResult> {
  const api = new KubeApiStandIn();
  const bed = new ExecutorTestBed(1);
  const targetsFile = path.join(tmpdir(), `surge-chaos-targets-${bed.run}.yaml`);
  await bed.start();
  await api.start();
  try {
    api.addWorkload('shop', 'Deployment', 'web', 2);
    writeFileSync(
      targetsFile,
      'namespaces: [shop]\ntargets:\n  - { id: shop/web, kind: Deployment, connection: { env: CHAOS_KUBECONFIG }, bounds: { min: 1, max: 10 } }\n',
    );
    const spec = SERVICES.find((s) => s.name === 'executor-k8s')!;
    const port = await freePort();
    const service = await startService(repoRoot(), spec.name, spec.entry, port, {
      ...process.env,
      // The test bed signs its decisions with the same test keys.
      ...signingEnvOf(spec, testSigningKeys()),
      CHAOS_KUBECONFIG: readFileSync(api.writeKubeconfig(), 'utf8'),
      SURGE_TARGETS_FILE: targetsFile,
      SURGE_EXECUTOR_GROUP: `chaos-${bed.run}`,
      SURGE_EXECUTOR_KEY_PREFIX: `chaos:${bed.run}`,
      ...topicEnvFor(bed.topics),
      SURGE_TOPIC_PARTITIONS: '1',
      LOG_LEVEL: 'warn',
    });
    const readiness = watchReadiness(() => service.url);
    try {
      const first = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 4 });
      await bed.produce(first);
      await bed.waitFor('the first decision applied', () => bed.resultsFor(first.decisionId)[0], 45_000);
      api.down = true;
      const second = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 4, to: 6 });
      await bed.produce(second);
      await sleep(DOWN_MS);
      const finalDuringOutage = bed.resultsFor(second.decisionId).map((r) => r.status);
      api.down = false;
      const backAt = Date.now();
      await eventually(() => bed.resultsFor(second.decisionId).length > 0, RECOVERY_LIMIT_MS);
      const resultAt = bed.arrivals.has(second.decisionId) ? Date.now() : undefined;
      await sleep(3_000);
      readiness.stop();
      const ready = readiness.readySince(backAt);
      const results = [first, second].map((d) => bed.resultsFor(d.decisionId));
      const statuses = results.map((r) => r.map((x) => x.status).join('+') || 'none');
      const stored = api.requests.filter((r) => r.method === 'PATCH').length;
      const onePerDecision = results.every((r) => r.length === 1);
      const applied = results.every((r) => r.length === 1 && r[0]!.status === 'applied');
      const replicas = api.workload('shop', 'Deployment', 'web')!.replicas;
      const recoveredAt = resultAt !== undefined && ready !== undefined ? Math.max(resultAt, ready) : undefined;
      return {
        experiment: 'Kubernetes API stand-in 503 for 30 s (executor-k8s)',
        accepted: 2,
        lost: results.filter((r) => !r.some((x) => x.status === 'applied')).length,
        duplicated: results.reduce((sum, r) => sum + Math.max(0, r.length - 1), 0),
        recoveredBySelf: recoveredAt !== undefined,
        timeToRecoverMs: recoveredAt === undefined ? null : recoveredAt - backAt,
        notes:
          `results: ${statuses.join(', ')}; during the outage: ${finalDuringOutage.join('+') || 'none'}; ` +
          `replicas ${replicas}; PATCH requests ${stored}`,
        checks: {
          'each decision exactly one final result': onePerDecision,
          'both decisions applied': applied,
          'workload at the second decision': replicas === 6,
          'ready again within 60 s': ready !== undefined && ready - backAt <= RECOVERY_LIMIT_MS,
        },
      };
    } finally {
      readiness.stop();
      await stopService(service);
    }
  } finally {
    rmSync(targetsFile, { force: true });
    await bed.stop().catch(() => undefined);
    await api.stop();
  }
}
