/** What happened when a copy was taken out: kept so operators and tests can see drains were clean. */
export interface DrainRecord {
  replicaId: string;
  /** In-flight requests the copy itself reported just before it was sent SIGTERM: 0 for a clean drain. */
  inflightAtStop: number;
  drainMs: number;
  /** True when the drain timeout expired with requests still held by the proxy. */
  timedOut: boolean;
  stoppedAt: number;
}
