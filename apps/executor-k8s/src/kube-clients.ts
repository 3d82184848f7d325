import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  type ConfigurationOptions,
  CustomObjectsApi,
  KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { ExecutorError, ExecutorErrorCode } from '@surge/executor-framework';

export interface KubeClients {
  apps: AppsV1Api;
  autoscaling: AutoscalingV2Api;
  custom: CustomObjectsApi;
  /** Pass to every call: keeps one connection pool per kubeconfig (see reuseDispatcher). */
  options: ConfigurationOptions<ObservableMiddleware>;
}

/**
 * client-node builds a new undici Agent for every request when the kubeconfig carries TLS options, i.e. a new TCP
 * connection and TLS handshake per call. The first request's agent, built from this kubeconfig's options, is kept
 * and reused, so calls to one API server share keep-alive connections.
 */
function reuseDispatcher(): ObservableMiddleware {
  let shared: ReturnType<RequestContext['getDispatcher']>;
  // The ObjectParam API runs middleware as its own minimal observables: anything with toPromise() will do.
  const observableOf = <T>(value: T) => ({ toPromise: () => Promise.resolve(value) });
  const middleware = {
    pre: (context: RequestContext) => {
      const own = context.getDispatcher();
      if (!shared) shared = own;
      else if (own && own !== shared) {
        context.setDispatcher(shared);
        // A dispatcher never used: closing it has nothing to lose, so a failure to close is only worth ignoring.
        void own.close().catch(() => undefined);
      }
      return observableOf(context);
    },
    post: (response: ResponseContext) => observableOf(response),
  };
  return middleware as unknown as ObservableMiddleware;
}

/**
 * One set of API clients per distinct kubeconfig. A target without a connection uses the default loading rules:
 * the in-cluster service account when running in a pod, else $KUBECONFIG or ~/.kube/config.
 */
export class KubeClientCache {
  private readonly byConnection = new Map<string, KubeClients>();

  get(kubeconfig: string | null): KubeClients {
    const key = kubeconfig ?? '(default)';
    let clients = this.byConnection.get(key);
    if (!clients) {
      const kc = new KubeConfig();
      if (kubeconfig) kc.loadFromString(kubeconfig);
      else kc.loadFromDefault();
      clients = {
        apps: kc.makeApiClient(AppsV1Api),
        autoscaling: kc.makeApiClient(AutoscalingV2Api),
        custom: kc.makeApiClient(CustomObjectsApi),
        options: { middleware: [reuseDispatcher()], middlewareMergeStrategy: 'append' },
      };
      this.byConnection.set(key, clients);
    }
    return clients;
  }
}

/** Maps the API server's answer to the framework's error codes (codeForStatus); no answer at all is transient. */
export function toExecutorError(error: unknown, what: string): ExecutorError {
  if (error instanceof ExecutorError) return error;
  if (error instanceof ApiException) {
    const code = codeForStatus(error.code);
    const reason =
      (error.body as { message?: string } | undefined)?.message ?? (typeof error.body === 'string' ? error.body : '');
    return new ExecutorError(code, `${what}: HTTP ${error.code}${reason ? ` ${reason}` : ''}`, { cause: error });
  }
  return new ExecutorError(
    ExecutorErrorCode.Unavailable,
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/**
 * The API server's 5xx, 429 (throttled) and 409 (a concurrent write) pass with time, so they are retried; any other
 * 4xx is the request being wrong for this target (bad patch, unauthorized, gone) and retrying cannot help.
 */
export function codeForStatus(status: number): ExecutorErrorCode {
  if (status === 404) return ExecutorErrorCode.NotFound;
  if (status === 401 || status === 403) return ExecutorErrorCode.Forbidden;
  if (status === 409) return ExecutorErrorCode.Conflict;
  if (status === 429 || status >= 500 || status < 400) return ExecutorErrorCode.Unavailable;
  return ExecutorErrorCode.Invalid;
}
