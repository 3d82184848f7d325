/** The parts of a Deployment's or StatefulSet's metadata and status that say whether a rollout is done. */
export interface WorkloadState {
  generation?: number;
  observedGeneration?: number;
  /** Pods of any revision the controller has running (terminating ones excluded). */
  replicas?: number;
  readyReplicas?: number;
}

export interface ReadinessJudgement {
  ready: boolean;
  /** What was seen, for the result's note: "3 of 6 ready, 6 replicas, generation 8 observed 8". */
  seen: string;
}

/**
 * Ready at `desired` once the controller has observed the current spec (a status of an older generation says
 * nothing about this change), `desired` pods are ready, and no pods beyond them remain (a scale-down has finished).
 * readyReplicas is the measure, as the issue asks, rather than `kubectl rollout status`'s updated/available
 * counts: a replica count change rolls no new revision, so every ready pod is of the current one.
 */
export function judgeReadiness(state: WorkloadState, desired: number): ReadinessJudgement {
  const generation = state.generation ?? 0;
  const observed = state.observedGeneration ?? 0;
  const replicas = state.replicas ?? 0;
  const ready = state.readyReplicas ?? 0;
  return {
    ready: observed >= generation && ready >= desired && replicas === desired,
    seen: `${ready} of ${desired} ready, ${replicas} replicas, generation ${generation} observed ${observed}`,
  };
}
