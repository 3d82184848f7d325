import type { ScaleDecision } from '@surge/contracts';
import type { TargetEntry } from '@surge/executor-core';
import type { BaselineStore } from './baseline.store';

/** A target from the targets file with its secret resolved: a URL, a kubeconfig, … never from a decision. */
export interface ResolvedTarget {
  entry: TargetEntry;
  connection: string | null;
}

export interface ApplyContext {
  decision: ScaleDecision;
  /** The value read from the target just before applying. */
  before: number;
  baselines: BaselineStore;
}

/** Whether the change became ready in time, and what was last seen, for people ("3 of 6 ready after 120 s"). */
export interface Readiness {
  ready: boolean;
  detail: string;
}

/**
 * What every back end implements, one adapter file per kind (KEDA's Scaler, for actions). Values are absolute:
 * `apply` sets the setting to `value`, so applying twice is the same as applying once.
 * Adapters throw ExecutorError to say whether a failure is worth retrying.
 */
export interface Executor {
  /** Target kinds this adapter owns, as in decisions' `target.kind`. */
  readonly kinds: readonly string[];
  /** The setting's current value on the target. */
  read(target: ResolvedTarget, setting: string): Promise<number>;
  /** Refusals that need the target's state (an HPA already scales it, memory in use, …): throw ExecutorErrorCode.Refused. */
  check?(target: ResolvedTarget, setting: string, value: number): Promise<void>;
  /**
   * Sets the value. Returns the value actually set when the adapter chose another one (a scale-down restoring a
   * saved baseline), so verification reads back for that.
   */
  apply(target: ResolvedTarget, setting: string, value: number, ctx: ApplyContext): Promise<number | void>;
  /** The value that proves the change landed (Kubernetes: replicas in status). Defaults to `read`. */
  readBack?(target: ResolvedTarget, setting: string): Promise<number>;
  /**
   * Waits, up to `timeoutMs`, for the changed target to be ready to serve at `value` (Kubernetes: pods ready and
   * the rollout observed), beyond merely holding the value. Without it a read-back showing the value is enough.
   * Resolves, never throws: a target that cannot be read until the deadline is not ready.
   */
  awaitReady?(target: ResolvedTarget, setting: string, value: number, timeoutMs: number): Promise<Readiness>;
  /**
   * The target's current settings, published as its observed state, and any workload gauge the adapter reads on
   * the way (PgBouncer's cl_waiting, Redis's used_memory), published as samples.
   */
  observe(target: ResolvedTarget): Promise<Record<string, number>>;
  close?(): Promise<void>;
}
