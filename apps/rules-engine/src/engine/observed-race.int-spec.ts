import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetricsRegistry } from '@surge/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { PolicyStore } from '../policies/policy-store.service';
import { EngineInstances, holdNextWrite } from '../testing/engine-instances';
import { RulesEngineMetrics } from './rules-engine.metrics';

/**
 * Two rules-engine instances on one Redis, as after a rebalance: one owns a target's samples partition, the
 * other its observed-state partition. Real: Redis, the repository, the state commit, the outbox, the evaluation.
 * Stand-ins: the producer (it records decisions) and the policy directory (a temporary one).
 */
const run = randomUUID().slice(0, 8);
const prefix = `test:observed-race:${run}:`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-observed-race-'));
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (seconds: number) => T0 + seconds * 1000;
const WRITES = new Set(['set', 'mset', 'evalsha', 'eval']);

const config = loadRulesEngineConfig({
  ...process.env,
  SURGE_POLICIES_DIR: policiesDir,
  SURGE_RULES_REDIS_PREFIX: prefix,
  LOG_LEVEL: 'warn',
});
let policies: PolicyStore;
const engines = new EngineInstances(config, () => policies);
const instance = () => engines.instance();

const deployment = (id: string) => ({ kind: 'Deployment', id });
const cpu = (target: string, seconds: number, value: number) => [
  { target, samples: [{ metric: 'cpu_utilization', value, timestamp: at(seconds) }] },
];

beforeAll(() => {
  const policy = (name: string) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: ${name} }
spec:
  target: { id: race/${name}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 20
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`;
  fs.writeFileSync(path.join(policiesDir, 'race.yaml'), [policy('web'), policy('api')].join('---\n'));
  policies = new PolicyStore(config, new RulesEngineMetrics(new MetricsRegistry()));
  policies.reload();
});

afterAll(async () => {
  await engines.close();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('an observation and a batch evaluation of one target on two instances', () => {
  it("keeps the observation that lands between the batch's load and its save", async () => {
    const target = 'race/web';
    const samplesOwner = instance();
    const observedOwner = instance();
    await observedOwner.evaluator.onObservedValue(deployment(target), 'replicas', 2, at(0));

    const hold = holdNextWrite(samplesOwner.redis.client, WRITES);
    const batch = samplesOwner.evaluator.onEnvelopes(cpu(target, 1, 100));
    await hold.reached;
    await observedOwner.evaluator.onObservedValue(deployment(target), 'replicas', 3, at(2));
    hold.release();
    await batch;

    expect(samplesOwner.producer.published.map((d) => [d.from, d.to])).toEqual([[2, 4]]);
    const [stored] = await instance().state.loadMany([policies.policyFor(target)!]);
    // The executor's newer word wins over the decision's assumed value, and the decision's history stays.
    expect(stored!.state.current).toBe(3);
    expect(stored!.state.samples['replicas']).toEqual({ value: 3, time: at(2) });
    expect(stored!.state.scaleUpEvents).toEqual([{ time: at(1), change: 2 }]);
  });

  it("keeps the batch's decision and history when it lands between the observation's read and write", async () => {
    const target = 'race/api';
    const samplesOwner = instance();
    const observedOwner = instance();
    await observedOwner.evaluator.onObservedValue(deployment(target), 'replicas', 2, at(0));

    const hold = holdNextWrite(observedOwner.redis.client, WRITES);
    const observation = observedOwner.evaluator.onObservedValue(deployment(target), 'replicas', 3, at(2));
    await hold.reached;
    await samplesOwner.evaluator.onEnvelopes(cpu(target, 1, 100));
    hold.release();
    await observation;

    expect(samplesOwner.producer.published.map((d) => [d.from, d.to])).toEqual([[2, 4]]);
    const [stored] = await instance().state.loadMany([policies.policyFor(target)!]);
    expect(stored!.state.current).toBe(3);
    expect(stored!.state.scaleUpEvents).toEqual([{ time: at(1), change: 2 }]);
    expect(stored!.state.lastScaleTime).toBe(at(1));
    expect(stored!.watermarks).toEqual({ [target]: { cpu_utilization: at(1) } });
    // A redelivery of the same batch is recognised: no second decision follows.
    await samplesOwner.evaluator.onEnvelopes(cpu(target, 1, 100));
    expect(samplesOwner.producer.published).toHaveLength(1);
  });
});
