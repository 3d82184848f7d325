import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type ApprovalRef,
  CONTROL_EVENT_SCHEMA_VERSION,
  type ControlEvent,
  controlEvent,
  controlScopeOf,
  decode,
  type Topics,
} from '@surge/contracts';
import { KAFKA_TOPICS, SurgeProducer } from '@surge/kafka';

export type ControlAction = 'pause' | 'resume' | 'dry-run-on' | 'dry-run-off';
/** An operator's answer to a plan step waiting for approval. */
export type PlanAnswer = 'approve' | 'reject';

/**
 * Publishes an operator's intent to the control topic, keyed by its scope. The rules engine and the executors
 * act on it; the audit log stores it like any other record, so each change is in the trail. The producer is the
 * host's (its Kafka module creates the control topic with the contract's compaction).
 */
@Injectable()
export class ControlPublisher {
  private readonly logger = new Logger(ControlPublisher.name);

  constructor(
    private readonly producer: SurgeProducer,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
  ) {}

  async publish(
    action: ControlAction | PlanAnswer,
    options: { policy?: string; reason?: string; actor: string; until?: number; plan?: ApprovalRef },
  ): Promise<ControlEvent> {
    const scope = controlScopeOf({ type: action, policy: options.policy, plan: options.plan });
    const event = decode('controlEvent', controlEvent, {
      schemaVersion: CONTROL_EVENT_SCHEMA_VERSION,
      type: action,
      policy: options.policy,
      scope,
      actor: options.actor,
      reason: options.reason,
      time: Date.now(),
      until: options.until,
      plan: options.plan,
    });
    // The key is the scope: compaction keeps the latest event of each, and one scope's events stay in order.
    await this.producer.sendJson(this.topics.control, event.scope, event);
    const until = options.until === undefined ? '' : ` until ${new Date(options.until).toISOString()}`;
    this.logger.log(`${action} for ${scope}${until} by ${event.actor}`);
    return event;
  }
}
