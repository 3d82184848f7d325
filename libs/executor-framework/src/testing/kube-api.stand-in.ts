import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The only stand-in the tests allow: an HTTP server speaking the real apps/v1 scale subresource, Deployment and
 * StatefulSet, and autoscaling/v2 paths, with resourceVersion, 404, 403 and 409 as the API server answers them.
 * No cluster runs here.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
  /** The client's port: equal ports mean one kept-alive connection. */
  remotePort: number | undefined;
}

/**
 * How the workload's pods behave after a spec change: new ones ready `readyAfterMs` later (0: at once) or never,
 * surplus ones gone `readyAfterMs` later.
 */
export interface PodBehaviour {
  readyAfterMs?: number;
  neverReady?: boolean;
}

interface Workload extends Required<PodBehaviour> {
  replicas: number;
  statusReplicas: number;
  resourceVersion: number;
  /** Bumped on every spec change, as the API server does; the controller's status reports it once observed. */
  generation: number;
  /** The last spec change the controller is working through: pods ready before it, and when it happened. */
  rollout: { replicas: number; replicasBefore: number; readyBefore: number; at: number };
}

/** The controller's reaction time: its status catches up with a new spec this long after the change. */
const OBSERVE_AFTER_MS = 50;

const RESOURCES: Record<string, string> = { deployments: 'Deployment', statefulsets: 'StatefulSet' };
const SCALE_PATH = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/]+)\/scale$/;
const WORKLOAD_PATH = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/]+)$/;
const HPA_PATH = /^\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers$/;
const KEDA_PATH = /^\/apis\/keda\.sh\/v1alpha1\/namespaces\/([^/]+)\/scaledobjects$/;

export class KubeApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly forbiddenNamespaces = new Set<string>();
  readonly hpas: { namespace: string; name: string; kind: string; targetName: string }[] = [];
  /** Makes the next N patches answer 409, as if another writer bumped the resourceVersion first. */
  conflictsToInject = 0;
  /** When true every request answers 503, as an API server that is down behind its load balancer. */
  down = false;
  /** Called once a patch is stored and before it is answered: lets a test kill the client at that very moment. */
  onPatchStored: ((path: string) => void) | null = null;
  private readonly workloads = new Map<string, Workload>();
  private server: Server | null = null;
  private nextVersion = 1000;
  readonly token = 'stand-in-token';

  addWorkload(
    namespace: string,
    kind: 'Deployment' | 'StatefulSet',
    name: string,
    replicas: number,
    pods: PodBehaviour = {},
  ): void {
    this.workloads.set(`${namespace}/${kind}/${name}`, {
      replicas,
      statusReplicas: replicas,
      resourceVersion: this.nextVersion++,
      generation: 1,
      // Created long ago: every pod of the initial spec is ready and observed.
      rollout: { replicas, replicasBefore: replicas, readyBefore: replicas, at: 0 },
      readyAfterMs: pods.readyAfterMs ?? 0,
      neverReady: pods.neverReady ?? false,
    });
  }

  workload(namespace: string, kind: string, name: string): Workload | undefined {
    return this.workloads.get(`${namespace}/${kind}/${name}`);
  }

  async start(): Promise<string> {
    // A request the stand-in cannot serve fails that request alone, as a real API server would answer 500.
    this.server = createServer(
      (req, res) =>
        void this.handle(req, res).catch((error: Error) => {
          if (res.headersSent) res.destroy(error);
          else res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
        }),
    );
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this.url();
  }

  url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** A kubeconfig pointing at this server with a bearer token, written to a temp file; returns its path. */
  writeKubeconfig(): string {
    const path = join(tmpdir(), `surge-kubeconfig-${process.pid}-${Date.now()}.yaml`);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        // The stand-in speaks plain HTTP; client-node only allows that with TLS verification explicitly off.
        'clusters: [{name: stand-in, cluster: {server: "' + this.url() + '", insecure-skip-tls-verify: true}}]',
        `users: [{name: surge, user: {token: ${this.token}}}]`,
        'contexts: [{name: stand-in, context: {cluster: stand-in, user: surge}}]',
        'current-context: stand-in',
      ].join('\n'),
    );
    return path;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;
    this.requests.push({
      method: req.method!,
      path,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body: raw ? JSON.parse(raw) : undefined,
      remotePort: req.socket.remotePort,
    });
    if (this.down)
      return send(res, 503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
    const namespace = (SCALE_PATH.exec(path) ??
      WORKLOAD_PATH.exec(path) ??
      HPA_PATH.exec(path) ??
      KEDA_PATH.exec(path))?.[1];
    if (namespace && this.forbiddenNamespaces.has(namespace)) {
      return send(
        res,
        403,
        status(
          403,
          'Forbidden',
          `User "system:serviceaccount:surge:executor" cannot access resources in the namespace "${namespace}"`,
        ),
      );
    }
    const scale = SCALE_PATH.exec(path);
    if (scale)
      return this.handleScale(
        req.method!,
        scale[1]!,
        RESOURCES[scale[2]!]!,
        scale[3]!,
        scale[2]!,
        req.headers['content-type'],
        raw,
        res,
      );
    const workload = WORKLOAD_PATH.exec(path);
    if (workload) return this.handleWorkload(req.method!, workload[1]!, RESOURCES[workload[2]!]!, workload[3]!, res);
    const hpa = HPA_PATH.exec(path);
    if (hpa && req.method === 'GET') return send(res, 200, this.hpaList(hpa[1]!));
    // No KEDA CRD installed: the API server answers 404 for its group.
    return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  }

  private handleScale(
    method: string,
    namespace: string,
    kind: string,
    name: string,
    resource: string,
    contentType: string | undefined,
    raw: string,
    res: ServerResponse,
  ): void {
    const workload = this.workload(namespace, kind, name);
    if (!workload) return send(res, 404, status(404, 'NotFound', `${resource}.apps "${name}" not found`));
    if (method === 'PATCH') {
      if (contentType !== 'application/merge-patch+json')
        return send(res, 415, status(415, 'UnsupportedMediaType', `unsupported patch type ${contentType}`));
      const patch = JSON.parse(raw) as { metadata?: { resourceVersion?: string }; spec?: { replicas?: number } };
      const stale =
        patch.metadata?.resourceVersion !== undefined &&
        patch.metadata.resourceVersion !== String(workload.resourceVersion);
      if (this.conflictsToInject > 0 || stale) {
        this.conflictsToInject = Math.max(0, this.conflictsToInject - 1);
        workload.resourceVersion = this.nextVersion++;
        return send(
          res,
          409,
          status(
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${resource}.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          ),
        );
      }
      if (typeof patch.spec?.replicas === 'number') {
        if (patch.spec.replicas !== workload.replicas) this.startRollout(workload, patch.spec.replicas);
        workload.replicas = patch.spec.replicas;
        workload.statusReplicas = patch.spec.replicas;
        workload.resourceVersion = this.nextVersion++;
      }
      this.onPatchStored?.(`/apis/apps/v1/namespaces/${namespace}/${resource}/${name}/scale`);
    } else if (method !== 'GET') {
      return send(res, 405, status(405, 'MethodNotAllowed', 'method not allowed'));
    }
    send(res, 200, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name, namespace, resourceVersion: String(workload.resourceVersion) },
      spec: { replicas: workload.replicas },
      status: { replicas: workload.statusReplicas, selector: `app=${name}` },
    });
  }

  /** GET of the whole object: spec, and a status that follows it as the Deployment or StatefulSet controller would. */
  private handleWorkload(method: string, namespace: string, kind: string, name: string, res: ServerResponse): void {
    const workload = this.workload(namespace, kind, name);
    const resource = kind === 'StatefulSet' ? 'statefulsets' : 'deployments';
    if (!workload) return send(res, 404, status(404, 'NotFound', `${resource}.apps "${name}" not found`));
    if (method !== 'GET') return send(res, 405, status(405, 'MethodNotAllowed', 'method not allowed'));
    // A test may set `replicas` directly, as another writer would: that is a spec change too.
    if (workload.replicas !== workload.rollout.replicas) this.startRollout(workload, workload.replicas);
    const labels = { app: name };
    send(res, 200, {
      kind,
      apiVersion: 'apps/v1',
      metadata: { name, namespace, generation: workload.generation, resourceVersion: String(workload.resourceVersion) },
      spec: {
        replicas: workload.replicas,
        selector: { matchLabels: labels },
        ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
        template: { metadata: { labels }, spec: { containers: [{ name, image: `registry.example/${name}:1` }] } },
      },
      status: rolloutStatus(workload, Date.now()),
    });
  }

  private startRollout(workload: Workload, replicas: number): void {
    const before = rolloutStatus(workload, Date.now());
    workload.generation += 1;
    workload.rollout = { replicas, replicasBefore: before.replicas, readyBefore: before.readyReplicas, at: Date.now() };
  }

  private hpaList(namespace: string) {
    return {
      kind: 'HorizontalPodAutoscalerList',
      apiVersion: 'autoscaling/v2',
      metadata: { resourceVersion: String(this.nextVersion) },
      items: this.hpas
        .filter((h) => h.namespace === namespace)
        .map((h) => ({
          metadata: { name: h.name, namespace },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: h.kind, name: h.targetName },
            minReplicas: 1,
            maxReplicas: 10,
          },
        })),
    };
  }
}

/**
 * Until the controller has observed the change, the status still describes the previous generation. Then it has
 * created the new pods, which become ready `readyAfterMs` later, or never; or, for a scale-down, the surplus pods
 * stop serving at once and are gone `readyAfterMs` later (their grace period). The pods that were ready stay so.
 */
function rolloutStatus(workload: Workload, now: number) {
  const { replicas, replicasBefore, readyBefore, at } = workload.rollout;
  const elapsed = now - at;
  const observeAfterMs = workload.neverReady ? OBSERVE_AFTER_MS : Math.min(workload.readyAfterMs, OBSERVE_AFTER_MS);
  const observed = elapsed >= observeAfterMs;
  const settled = elapsed >= workload.readyAfterMs;
  const scaledDown = replicas < replicasBefore;
  const pods = !observed || (scaledDown && !settled) ? replicasBefore : replicas;
  const readyReplicas = !scaledDown && settled && !workload.neverReady ? replicas : Math.min(readyBefore, replicas);
  return {
    observedGeneration: observed ? workload.generation : workload.generation - 1,
    replicas: pods,
    updatedReplicas: observed ? replicas : 0,
    readyReplicas,
    availableReplicas: readyReplicas,
  };
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
