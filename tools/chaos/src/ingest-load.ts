/** What a bounded ingest load saw: the sample values answered 202, and when anything else was answered. */
export interface LoadOutcome {
  accepted: Set<number>;
  statuses: Record<string, number>;
  /** Wall-clock ms of the first and last answer that was not 202 (a 503, or no answer at all). */
  firstRefusalAt?: number;
  lastRefusalAt?: number;
  /** Wall-clock ms of every 202, in order: tells when ingest answered again after a fault. */
  acceptedAt: number[];
}

export interface IngestLoad {
  /** Stops sending and resolves once every request in flight has its answer. */
  stop(): Promise<LoadOutcome>;
  outcome: LoadOutcome;
}

export interface IngestLoadOptions {
  url: () => string;
  /** The ingest credential the load posts with (ingest refuses unauthenticated writes). */
  token: string;
  /** Concurrent request loops; each waits for its answer before sending the next batch. */
  concurrency?: number;
  samplesPerBatch?: number;
  /** A hard stop, whatever the caller does: the suite's loops are bounded in time. */
  maxMs?: number;
  /** Pause between a loop's requests, so two shared cores keep room for the services under test. */
  pauseMs?: number;
}

export const CHAOS_METRIC = 'chaos_seq';

/**
 * Posts batches of samples whose values are unique integers, so a reader of the topic can tell exactly which
 * acknowledged sample is missing or present twice. A request counts as accepted only on 202.
 */
export function startIngestLoad(options: IngestLoadOptions): IngestLoad {
  const concurrency = options.concurrency ?? 4;
  const perBatch = options.samplesPerBatch ?? 20;
  const until = Date.now() + (options.maxMs ?? 120_000);
  const outcome: LoadOutcome = { accepted: new Set(), statuses: {}, acceptedAt: [] };
  let next = 1;
  let running = true;
  const refused = (status: string) => {
    outcome.statuses[status] = (outcome.statuses[status] ?? 0) + 1;
    const now = Date.now();
    outcome.firstRefusalAt ??= now;
    outcome.lastRefusalAt = now;
  };
  const loop = async (): Promise<void> => {
    while (running && Date.now() < until) {
      const values = Array.from({ length: perBatch }, () => next++);
      const timestamp = Date.now() - 1_000;
      const samples = values.map((value) => ({
        target: `chaos/t${value % 8}`,
        metric: CHAOS_METRIC,
        value,
        timestamp,
      }));
      try {
        const res = await fetch(`${options.url()}/v1/samples`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify({ samples }),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        if (res.status === 202) {
          for (const value of values) outcome.accepted.add(value);
          outcome.statuses['202'] = (outcome.statuses['202'] ?? 0) + 1;
          outcome.acceptedAt.push(Date.now());
        } else refused(String(res.status));
      } catch {
        refused('no answer');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 20));
    }
  };
  const loops = Array.from({ length: concurrency }, () => loop());
  return {
    outcome,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcome;
    },
  };
}
