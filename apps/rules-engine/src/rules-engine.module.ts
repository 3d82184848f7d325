import { type DynamicModule, Module } from '@nestjs/common';
import type { TopicKey } from '@surge/contracts';
import { KafkaModule } from '@surge/kafka';
import { ObservabilityModule } from '@surge/service-kit';
import { TracingModule } from '@surge/tracing';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from './config/rules-engine.config';
import { ControlConsumer } from './control/control.consumer';
import { ControlState } from './control/control-state.service';
import { PauseAlerts } from './control/pause-alerts.service';
import { EngineStart } from './engine-start.service';
import { DecisionOutbox } from './engine/decision-outbox.service';
import { PolicyEvaluation } from './engine/policy-evaluation.service';
import { TargetCosts } from './policies/target-costs';
import { RulesEngineMetrics } from './engine/rules-engine.metrics';
import { ClaimReconciler } from './engine/claim-reconciler.service';
import { StateCommit } from './engine/state-commit.service';
import { TargetEvaluator } from './engine/target-evaluator.service';
import { ActionResultsConsumer } from './kafka/action-results.consumer';
import { ObservedStateConsumer } from './kafka/observed-state.consumer';
import { SamplesConsumer } from './kafka/samples.consumer';
import { PolicyStore } from './policies/policy-store.service';
import { RedisProvider } from './state/redis.provider';
import { TargetStateRepository } from './state/target-state.repository';
import { STATUS_API } from './status/status-api';

/** What the engine reads and writes; the Kafka module creates them at start (the control topic compacted). */
const ENGINE_TOPICS: TopicKey[] = [
  'samples',
  'observed',
  'actions',
  'decisions',
  'alerts',
  'explanations',
  'control',
  'deadLetter',
];

@Module({})
export class RulesEngineModule {
  static forRoot(config: RulesEngineConfig): DynamicModule {
    return {
      module: RulesEngineModule,
      imports: [
        // The operators (file, or the admin token) guard the read API (status, policies); without any it is closed.
        ObservabilityModule.forRoot({
          appName: 'rules-engine',
          logLevel: config.LOG_LEVEL,
          adminToken: config.SURGE_ADMIN_TOKEN,
          operatorsFile: config.SURGE_OPERATORS_FILE,
        }),
        // Global: the engine's services inject its producer (SurgeProducer), topic names and consumers.
        // In the background: a broker down at boot is waited for (not ready meanwhile) instead of ending the process.
        // Signed: the engine is the one producer of decisions, and trusts only the executors' observed state and
        // action results (which advance plans) and the control plane's events, whoever else can reach the broker. Alerts and explanations steer nothing:
        // they are records for people, unsigned.
        TracingModule.forRoot({ appName: 'rules-engine', config }),
        KafkaModule.forRoot({
          config,
          clientId: 'rules-engine',
          topics: ENGINE_TOPICS,
          connect: 'in-background',
          signing: { sign: ['decisions'], verify: ['observed', 'actions', 'control'] },
        }),
      ],
      controllers: STATUS_API.controllers,
      providers: [
        ...STATUS_API.providers,
        { provide: RULES_ENGINE_CONFIG, useValue: config },
        RulesEngineMetrics,
        ControlState,
        ControlConsumer,
        PauseAlerts,
        RedisProvider,
        TargetStateRepository,
        PolicyStore,
        DecisionOutbox,
        StateCommit,
        ClaimReconciler,
        TargetCosts,
        PolicyEvaluation,
        TargetEvaluator,
        SamplesConsumer,
        ObservedStateConsumer,
        ActionResultsConsumer,
        EngineStart,
      ],
    };
  }
}
