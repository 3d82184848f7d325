import fc from 'fast-check';

/** One request the fuzzer sends; `path` already carries any fuzzed path segments and query. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface HttpEndpoint {
  /** How the table names it, e.g. `metrics-ingest POST /v1/samples`. */
  name: string;
  baseUrl: () => string;
  requests: fc.Arbitrary<FuzzRequest>;
  /** A cheap request that must keep answering (health/live): a server that stops answering it has crashed. */
  livenessPath: string;
}

export interface EndpointTally {
  endpoint: string;
  inputs: number;
  accepted: number;
  status4xx: number;
  status5xx: number;
  crashes: number;
  /** The slowest answer (status or transport error), ms: what a stalled event loop would show first. */
  slowestMs: number;
  /** A few 5xx or transport failures, to reproduce each: what was sent (cut short) and what came back. */
  examples: { request: string; outcome: string }[];
}

const REQUEST_TIMEOUT_MS = 10_000;

function describeRequest(request: FuzzRequest): string {
  const body = request.body ? ` body(${request.body.length}B)=${request.body.subarray(0, 160).toString('base64')}` : '';
  return `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 200)}${body}`;
}

const PROBE_TIMEOUT_MS = 5000;
/**
 * As the Deployments' liveness probes (failureThreshold 3): a server is restarted, i.e. has crashed, only after
 * three failed probes in a row. One probe lost on a loaded machine, where the fuzzer and the servers share one event
 * loop, is not a crash; a server that is gone or hung fails all three. Slow answers show in `slowestMs` instead.
 */
const PROBE_ATTEMPTS = 3;
const PROBE_PAUSE_MS = 1000;

async function probeOnce(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function alive(url: string): Promise<boolean> {
  for (let attempt = 1; attempt <= PROBE_ATTEMPTS; attempt += 1) {
    if (await probeOnce(url)) return true;
    if (attempt < PROBE_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return false;
}

/**
 * Sends `count` generated requests (seeded, so a run can be replayed), `concurrency` at a time. A transport failure
 * counts as a crash only when the server then also fails its liveness probe: a reset on a body the server refused
 * early is an answer, a server that stops answering is not.
 */
export async function fuzzEndpoint(
  endpoint: HttpEndpoint,
  options: { count: number; seed: number; concurrency: number },
): Promise<EndpointTally> {
  const tally: EndpointTally = {
    endpoint: endpoint.name,
    inputs: 0,
    accepted: 0,
    status4xx: 0,
    status5xx: 0,
    crashes: 0,
    slowestMs: 0,
    examples: [],
  };
  const requests = fc.sample(endpoint.requests, { numRuns: options.count, seed: options.seed });
  let next = 0;
  const worker = async () => {
    while (next < requests.length && tally.crashes === 0) {
      const request = requests[next++]!;
      tally.inputs += 1;
      const started = performance.now();
      const answered = () => (tally.slowestMs = Math.max(tally.slowestMs, Math.round(performance.now() - started)));
      try {
        const response = await fetch(`${endpoint.baseUrl()}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit | undefined,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        answered();
        if (response.status >= 500) {
          tally.status5xx += 1;
          if (tally.examples.length < 5)
            tally.examples.push({ request: describeRequest(request), outcome: `${response.status}` });
        } else if (response.status >= 400) tally.status4xx += 1;
        else tally.accepted += 1;
      } catch (error) {
        answered();
        if (await alive(`${endpoint.baseUrl()}${endpoint.livenessPath}`)) {
          tally.status4xx += 1;
          continue;
        }
        tally.crashes += 1;
        tally.examples.push({ request: describeRequest(request), outcome: `no answer: ${(error as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (tally.crashes === 0 && !(await alive(`${endpoint.baseUrl()}${endpoint.livenessPath}`))) {
    tally.crashes += 1;
    tally.examples.push({ request: '(after the run)', outcome: 'liveness probe failed' });
  }
  return tally;
}
