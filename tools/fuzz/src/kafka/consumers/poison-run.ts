import { CONTROL_EVENT_SCHEMA_VERSION, controlEvent, controlScopeOf, type Topics } from '@surge/contracts';
import type { ConsumerTopic } from '../poison-fuzzer';

/** What every service under poison shares: this run's id, its topics (and their env names) and the brokers. */
export interface PoisonRun {
  run: string;
  brokers: string;
  topics: Topics;
  topicEnv: Record<string, string>;
}

/** One service started for the run: its consumer topics, and how to stop it. */
export interface PoisonService {
  targets: ConsumerTopic[];
  close(): Promise<void>;
}

export const liveness = (url: string) => async () =>
  (await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(5000) }).catch(() => null))?.ok ?? false;

/** The valid record of the control topic: a global resume, which changes nothing a paused-free run relies on. */
export function resumeEvent(): Record<string, unknown> {
  return {
    schemaVersion: CONTROL_EVENT_SCHEMA_VERSION,
    type: 'resume',
    scope: controlScopeOf({ type: 'resume' }),
    actor: 'fuzz',
    time: Date.now(),
  };
}

/**
 * A service's control-intent reader: every service reads the control topic the same way (a group per reader
 * under `<group>-control-`, events signed by the control plane, a resume as the valid record).
 */
export function controlTarget(
  service: string,
  group: string,
  topics: Topics,
  alive: () => Promise<boolean>,
): ConsumerTopic {
  return {
    consumer: `${service} control`,
    topic: topics.control,
    groups: [`${group}-control-`],
    schema: controlEvent,
    signer: 'control-plane',
    valid: resumeEvent,
    alive,
  };
}

/** Runs `close` of each started part in reverse order, never failing: a teardown must finish. */
export async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
}
