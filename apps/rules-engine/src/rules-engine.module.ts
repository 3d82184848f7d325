import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@surge/service-kit';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from './config/rules-engine.config';
import { ControlState } from './control/control-state.service';
import { RulesEngineMetrics } from './engine/rules-engine.metrics';
import { TargetEvaluator } from './engine/target-evaluator.service';
import { KafkaProvider } from './kafka/kafka.provider';
import { SamplesConsumer } from './kafka/samples.consumer';
import { PolicyStore } from './policies/policy-store.service';
import { RedisProvider } from './state/redis.provider';
import { TargetStateRepository } from './state/target-state.repository';

@Module({})
export class RulesEngineModule {
  static forRoot(config: RulesEngineConfig): DynamicModule {
    return {
      module: RulesEngineModule,
      imports: [ObservabilityModule.forRoot({ appName: 'rules-engine', logLevel: config.LOG_LEVEL })],
      providers: [
        { provide: RULES_ENGINE_CONFIG, useValue: config },
        RulesEngineMetrics,
        ControlState,
        KafkaProvider,
        RedisProvider,
        TargetStateRepository,
        PolicyStore,
        TargetEvaluator,
        SamplesConsumer,
      ],
    };
  }
}
