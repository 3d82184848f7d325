import { OBSERVED_STATE_SCHEMA_VERSION } from '@surge/contracts';
import { signedAs } from '@surge/signing/testing';

/**
 * The executor's word on a Deployment's replicas, as a Kafka record of the observed-state topic: the one channel
 * through which the engine learns a target's current value. Signed with the executors' test key, as an executor
 * signs it; the engine refuses it otherwise.
 */
export function observedReplicas(
  targetId: string,
  replicas: number,
  observedAt: number,
): { key: string; value: string; headers: Record<string, string> } {
  return signedAs('executor', {
    key: targetId,
    value: JSON.stringify({
      schemaVersion: OBSERVED_STATE_SCHEMA_VERSION,
      target: { kind: 'Deployment', id: targetId },
      executor: 'executor-k8s',
      settings: { replicas },
      observedAt,
    }),
  });
}

/** Polls until the probe gives a value (neither undefined nor false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
