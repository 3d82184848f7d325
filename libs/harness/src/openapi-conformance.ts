/** How a test calls one documented operation: the concrete path and what it sends. */
export interface OperationCall {
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface DocumentedOperation {
  responses: Record<string, unknown>;
}

export interface ConformanceDocument {
  paths: Record<string, Record<string, unknown>>;
}

export interface ConformanceAnswer {
  operation: string;
  status: number;
  documented: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of a document, as `METHOD /path/{param}`. */
export function documentedOperations(document: ConformanceDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * Calls every documented operation of a hand-written OpenAPI document on a running server, as `calls` says
 * (each one must be given: an operation the test forgot is an error, not a pass), and returns each answer's
 * status beside the statuses the document lists for it.
 */
export async function callEveryOperation(
  baseUrl: string,
  document: ConformanceDocument,
  calls: Record<string, OperationCall[]>,
): Promise<ConformanceAnswer[]> {
  const operations = documentedOperations(document);
  const unplanned = operations.filter((operation) => !calls[operation]?.length);
  if (unplanned.length > 0) throw new Error(`no call given for ${unplanned.join(', ')}`);
  const stale = Object.keys(calls).filter((operation) => !operations.includes(operation));
  if (stale.length > 0) throw new Error(`calls given for undocumented ${stale.join(', ')}`);
  const answers: ConformanceAnswer[] = [];
  for (const operation of operations) {
    const [method, template] = operation.split(' ') as [string, string];
    const item = document.paths[template]!;
    const documented = Object.keys((item[method.toLowerCase()] as DocumentedOperation).responses);
    for (const call of calls[operation]!) {
      const response = await fetch(`${baseUrl}${call.path}`, {
        method,
        headers: { ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      await response.arrayBuffer();
      answers.push({ operation: `${method} ${call.path}`, status: response.status, documented });
    }
  }
  return answers;
}

/** The status of each call, for requests the document does not list (another path, another method). */
export async function statusesOf(baseUrl: string, requests: [method: string, path: string][]): Promise<number[]> {
  const statuses: number[] = [];
  for (const [method, path] of requests) {
    const response = await fetch(`${baseUrl}${path}`, { method });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}
