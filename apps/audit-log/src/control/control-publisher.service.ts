import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CONTROL_EVENT_SCHEMA_VERSION, type ControlEvent, controlEvent, decode, type Topics } from '@surge/contracts';
import { createKafka, SurgeProducer } from '@surge/kafka';
import { AUDIT_LOG_CONFIG, AUDIT_TOPICS, type AuditLogConfig } from '../config/audit-log.config';

export type ControlAction = 'pause' | 'resume' | 'dry-run-on' | 'dry-run-off';

/**
 * Publishes the console's controls to the control topic. The rules engine and executors act on them; the
 * audit consumer stores them like any other record, so each change is in the trail.
 */
@Injectable()
export class ControlPublisherService implements OnModuleDestroy {
  private readonly producer: SurgeProducer;
  private readonly topic: string;

  constructor(@Inject(AUDIT_LOG_CONFIG) config: AuditLogConfig, @Inject(AUDIT_TOPICS) topics: Topics) {
    this.producer = new SurgeProducer(
      createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID ?? 'audit-log'}-control` }),
    );
    this.topic = topics.control;
  }

  async publish(
    action: ControlAction,
    options: { policy?: string; reason?: string; actor: string },
  ): Promise<ControlEvent> {
    const event = decode('controlEvent', controlEvent, {
      schemaVersion: CONTROL_EVENT_SCHEMA_VERSION,
      type: action,
      policy: options.policy,
      actor: options.actor,
      reason: options.reason,
      time: Date.now(),
    });
    await this.producer.connect();
    // Keyed by policy (or "global") so the changes to one policy stay ordered on one partition.
    await this.producer.sendJson(this.topic, event.policy ?? 'global', event);
    return event;
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer.disconnect();
  }
}
