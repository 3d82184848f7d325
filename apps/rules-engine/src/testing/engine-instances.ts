import type { AlertEvent, ScaleDecision, ScaleExplanation, Topics } from '@surge/contracts';
import type { OutgoingMessage, SurgeProducer } from '@surge/kafka';
import { MetricsRegistry } from '@surge/service-kit';
import type { Redis } from 'ioredis';
import type { RulesEngineConfig } from '../config/rules-engine.config';
import { ControlState } from '../control/control-state.service';
import { DecisionOutbox } from '../engine/decision-outbox.service';
import { PolicyEvaluation } from '../engine/policy-evaluation.service';
import { RulesEngineMetrics } from '../engine/rules-engine.metrics';
import { StateCommit } from '../engine/state-commit.service';
import { TargetEvaluator } from '../engine/target-evaluator.service';
import type { PolicyStore } from '../policies/policy-store.service';
import { RedisProvider } from '../state/redis.provider';
import { TargetStateRepository } from '../state/target-state.repository';
import { SurgeTracing } from '@surge/tracing';
import { TargetCosts } from '../policies/target-costs';

/** Stands in for the Kafka producer: it records the decisions, alerts and explanations an instance publishes. */
export class RecordingProducer {
  readonly published: ScaleDecision[] = [];
  readonly alerts: AlertEvent[] = [];
  readonly explanations: ScaleExplanation[] = [];
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const into: unknown[] =
      topic === 'alerts' ? this.alerts : topic === 'explanations' ? this.explanations : this.published;
    for (const m of messages) into.push(JSON.parse(m.value as string));
  }
}

export interface EngineInstance {
  redis: RedisProvider;
  evaluator: TargetEvaluator;
  state: StateCommit;
  producer: RecordingProducer;
  registry: MetricsRegistry;
}

/**
 * Rules-engine instances wired as the module wires them, each with its own Redis connection, on one real Redis
 * under the config's prefix: several instances around a rebalance, a race or a state loss. Real: Redis, the
 * repository and its scripts, the state commit, the outbox, the evaluation, the metrics; the producer records.
 */
export class EngineInstances {
  private readonly created: EngineInstance[] = [];

  constructor(
    private readonly config: RulesEngineConfig,
    private readonly policies: () => PolicyStore,
  ) {}

  instance(): EngineInstance {
    const redis = new RedisProvider(this.config);
    const registry = new MetricsRegistry();
    const metrics = new RulesEngineMetrics(registry);
    const control = new ControlState(this.config);
    const repository = new TargetStateRepository(redis, this.config);
    const producer = new RecordingProducer();
    const outbox = new DecisionOutbox(
      repository,
      producer as unknown as SurgeProducer,
      { decisions: 'decisions', alerts: 'alerts', explanations: 'explanations' } as Topics,
      metrics,
      SurgeTracing.OFF,
    );
    const state = new StateCommit(repository, outbox);
    const evaluation = new PolicyEvaluation(control, new TargetCosts({}));
    const evaluator = new TargetEvaluator(this.policies(), evaluation, state, metrics, control, this.config);
    const instance = { redis, evaluator, state, producer, registry };
    this.created.push(instance);
    return instance;
  }

  /** Deletes every key under the prefix and closes every instance. */
  async close(): Promise<void> {
    const [first] = this.created;
    const keys = first ? await first.redis.client.keys(`${this.config.SURGE_RULES_REDIS_PREFIX}*`) : [];
    if (keys.length) await first!.redis.client.del(...keys);
    for (const instance of this.created.splice(0)) {
      instance.evaluator.onModuleDestroy();
      await instance.redis.onApplicationShutdown();
    }
  }
}

/**
 * Holds a client's next command among `commands` (its state write: the scripts by default) until released: the
 * window in which another instance runs.
 */
export function holdNextWrite(
  client: Redis,
  commands: ReadonlySet<string> = new Set(['evalsha', 'eval']),
): { reached: Promise<void>; release: () => void } {
  const send = client.sendCommand.bind(client);
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const hold = { reached: new Promise<void>((resolve) => (reached = resolve)), release };
  client.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
    if (!commands.has(command.name)) return send(command as never, ...(rest as []));
    client.sendCommand = send;
    reached();
    return gate.then(() => send(command as never, ...(rest as [])));
  }) as typeof client.sendCommand;
  return hold;
}
