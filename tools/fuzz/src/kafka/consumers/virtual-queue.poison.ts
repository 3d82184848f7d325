import { randomUUID } from 'node:crypto';
import { scaleDecision } from '@surge/contracts';
import { startTestApp as startQueue } from '../../../../../apps/virtual-queue/src/testing/test-app';
import { decisionFixture } from '../../../../../apps/audit-log/src/testing/audit-fixtures';
import { controlTarget, liveness, type PoisonRun, type PoisonService } from './poison-run';

/** The waiting room: its in-process executor reads decisions, and its control reader the control topic. */
export async function startQueuePoison({ run, brokers, topics, topicEnv }: PoisonRun): Promise<PoisonService> {
  const group = `fuzz-vq-${run}`;
  const queue = await startQueue({ ...topicEnv, KAFKA_BROKERS: brokers, VQ_DECISION_GROUP: group });
  const alive = liveness(queue.url);
  return {
    targets: [
      {
        consumer: 'virtual-queue decisions',
        topic: topics.decisions,
        groups: [group],
        schema: scaleDecision,
        signer: 'rules-engine',
        valid: () => ({
          ...decisionFixture(`dec-${randomUUID()}`, 'shop/fuzz'),
          target: { kind: 'VirtualQueue', id: 'shop/fuzz' },
        }),
        alive,
      },
      controlTarget('virtual-queue', group, topics, alive),
    ],
    close: () => queue.close(),
  };
}
