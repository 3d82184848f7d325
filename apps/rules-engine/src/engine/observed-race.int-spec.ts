import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScaleDecision, Topics } from '@surge/contracts';
import type { OutgoingMessage, SurgeProducer } from '@surge/kafka';
import { MetricsRegistry } from '@surge/service-kit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { ControlState } from '../control/control-state.service';
import { PolicyStore } from '../policies/policy-store.service';
import { RedisProvider } from '../state/redis.provider';
import { TargetStateRepository } from '../state/target-state.repository';
import { DecisionOutbox } from './decision-outbox.service';
import { PolicyEvaluation } from './policy-evaluation.service';
import { RulesEngineMetrics } from './rules-engine.metrics';
import { StateCommit } from './state-commit.service';
import { TargetEvaluator } from './target-evaluator.service';

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

class RecordingProducer {
  readonly published: ScaleDecision[] = [];
  async send(_topic: string, messages: OutgoingMessage[]): Promise<void> {
    for (const m of messages) this.published.push(JSON.parse(m.value as string) as ScaleDecision);
  }
}

/** Holds an instance's next write to Redis until released: the window in which the other instance runs. */
function holdNextWrite(client: Redis): { reached: Promise<void>; release: () => void } {
  const send = client.sendCommand.bind(client);
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const hold = { reached: new Promise<void>((resolve) => (reached = resolve)), release };
  client.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
    if (!WRITES.has(command.name)) return send(command as never, ...(rest as []));
    client.sendCommand = send;
    reached();
    return gate.then(() => send(command as never, ...(rest as [])));
  }) as typeof client.sendCommand;
  return hold;
}

interface Instance {
  redis: RedisProvider;
  evaluator: TargetEvaluator;
  state: StateCommit;
  producer: RecordingProducer;
}

const config = loadRulesEngineConfig({
  ...process.env,
  SURGE_POLICIES_DIR: policiesDir,
  SURGE_RULES_REDIS_PREFIX: prefix,
  LOG_LEVEL: 'warn',
});
const instances: Instance[] = [];
let policies: PolicyStore;

function instance(): Instance {
  const redis = new RedisProvider(config);
  const metrics = new RulesEngineMetrics(new MetricsRegistry());
  const control = new ControlState(config);
  const repository = new TargetStateRepository(redis, config);
  const producer = new RecordingProducer();
  const outbox = new DecisionOutbox(
    repository,
    producer as unknown as SurgeProducer,
    { decisions: 'decisions' } as Topics,
    metrics,
  );
  const state = new StateCommit(repository, outbox);
  const evaluator = new TargetEvaluator(policies, new PolicyEvaluation(control), state, metrics, control, config);
  const created = { redis, evaluator, state, producer };
  instances.push(created);
  return created;
}

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
  const [first] = instances;
  const keys = first ? await first.redis.client.keys(`${prefix}*`) : [];
  if (keys.length) await first!.redis.client.del(...keys);
  for (const created of instances) {
    created.evaluator.onModuleDestroy();
    await created.redis.onApplicationShutdown();
  }
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('an observation and a batch evaluation of one target on two instances', () => {
  it("keeps the observation that lands between the batch's load and its save", async () => {
    const target = 'race/web';
    const samplesOwner = instance();
    const observedOwner = instance();
    await observedOwner.evaluator.onObservedValue(deployment(target), 'replicas', 2, at(0));

    const hold = holdNextWrite(samplesOwner.redis.client);
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

    const hold = holdNextWrite(observedOwner.redis.client);
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
