import type { TopicKey } from './topics';

/**
 * The Kafka principals of Surge's services: with SASL each service logs in as its own user, and ACLs granted from
 * TOPIC_ACCESS below let it touch only the topics it needs. One principal per role, not per replica.
 */
export const SURGE_PRINCIPALS = [
  'surge-ingest',
  'surge-rules-engine',
  'surge-executor',
  'surge-virtual-queue',
  'surge-audit-log',
  'surge-notifier',
] as const;

export type SurgePrincipal = (typeof SURGE_PRINCIPALS)[number];

export interface TopicAccess {
  write: readonly TopicKey[];
  read: readonly TopicKey[];
}

/**
 * Which principal may write and read which topic. Every consumer dead-letters what it cannot handle, so each
 * principal that reads also writes `deadLetter`. The control plane (libs/control-plane: pause, resume, dry-run)
 * runs in the process that serves the console, whose principal is surge-audit-log: it is the one writer of control
 * events, while the audit log's own consumer only reads them.
 */
export const TOPIC_ACCESS: Readonly<Record<SurgePrincipal, TopicAccess>> = {
  'surge-ingest': { write: ['samples'], read: [] },
  // Alerts and explanations come out of the same evaluations as decisions; actions carry plan steps' results.
  'surge-rules-engine': {
    write: ['decisions', 'alerts', 'explanations', 'deadLetter'],
    read: ['samples', 'observed', 'actions', 'control'],
  },
  // Executors report results, the state they observe, their targets' capacity samples and their failed actions.
  'surge-executor': {
    write: ['actions', 'observed', 'samples', 'alerts', 'deadLetter'],
    read: ['decisions', 'control'],
  },
  // It hosts an executor (the room's admission rate), which alerts its failed actions as the others do.
  'surge-virtual-queue': {
    write: ['queueEvents', 'samples', 'actions', 'observed', 'alerts', 'deadLetter'],
    read: ['decisions', 'control'],
  },
  'surge-audit-log': {
    write: ['control', 'deadLetter'],
    read: ['decisions', 'actions', 'queueEvents', 'control', 'deadLetter', 'alerts', 'explanations'],
  },
  // The one part that talks to Alertmanager: it reads alerts and parks what it cannot read.
  'surge-notifier': { write: ['deadLetter'], read: ['alerts'] },
};
