/** One row of the chaos table: what the readers counted, not what the services said about themselves. */
export interface ExperimentResult {
  experiment: string;
  /** Samples (or decisions) acknowledged to the client. */
  accepted: number;
  lost: number;
  duplicated: number;
  recoveredBySelf: boolean;
  /** From the fault's end (the dependency back, or the kill for a replicated one) to ready and answering again. */
  timeToRecoverMs: number | null;
  /** Refusals seen meanwhile, and anything a reader of the table needs to judge the row. */
  notes: string;
  /** The invariants this run checked, each with whether it held. */
  checks: Record<string, boolean>;
}

export function passed(result: ExperimentResult): boolean {
  return (
    result.lost === 0 &&
    result.duplicated === 0 &&
    result.recoveredBySelf &&
    Object.values(result.checks).every(Boolean)
  );
}
