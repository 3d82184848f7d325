import { Inject, Injectable } from '@nestjs/common';
import { ControlIntentReader } from '@surge/control-plane';
import type { Topics } from '@surge/contracts';
import { KAFKA_CLIENT, KAFKA_TOPICS, KafkaConsumers } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import type { Kafka } from 'kafkajs';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { ControlState } from './control-state.service';

/**
 * Every instance needs every control event: the whole topic is read into the ControlState at start, in a group
 * of its own. EngineStart starts the samples consumer only once `start` has resolved, so a restarted engine never
 * decides before it knows the pause in force.
 */
@Injectable()
export class ControlConsumer {
  private readonly reader: ControlIntentReader;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    consumers: KafkaConsumers,
    @Inject(KAFKA_TOPICS) topics: Topics,
    control: ControlState,
    health: HealthRegistry,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
  ) {
    this.reader = new ControlIntentReader({
      kafka,
      consumers,
      topic: topics.control,
      groupPrefix: config.SURGE_RULES_GROUP_ID,
      onEvent: (event) => control.apply(event),
    });
    health.register('control-intent', () => {
      if (!this.reader.isCaughtUp()) throw new Error('still reading the control topic');
    });
  }

  isCaughtUp(): boolean {
    return this.reader.isCaughtUp();
  }

  /** Reads the whole topic; a no-op once read, so a start attempted again after a later step failed skips it. */
  async start(): Promise<void> {
    if (!this.reader.isCaughtUp()) await this.reader.start();
  }

  async stop(): Promise<void> {
    await this.reader.stop();
  }
}
