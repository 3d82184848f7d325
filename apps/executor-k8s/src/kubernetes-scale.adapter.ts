import { PatchStrategy, setHeaderOptions, type V1Scale } from '@kubernetes/client-node';
import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  messageOf,
  type Readiness,
  type ResolvedTarget,
  sleep,
  withTimeout,
} from '@surge/executor-framework';
import { findOtherAutoscaler } from './autoscaler-conflict.check';
import { KubeClientCache, type KubeClients, toExecutorError } from './kube-clients';
import { judgeReadiness, type WorkloadState } from './workload-readiness';

const REPLICAS = 'replicas';
/** Often enough to report readiness within a quarter second of it, rarely enough not to load the API server. */
const READY_POLL_MS = 250;

/**
 * Deployments and StatefulSets through their scale subresource, the same door `kubectl scale` and the HPA use:
 * the executor needs get and patch on the scale subresources, and get on the workloads for their readiness (the
 * scale subresource has no readyReplicas), never write access to the workload itself.
 */
export class KubernetesScaleAdapter implements Executor {
  readonly kinds = ['Deployment', 'StatefulSet'] as const;
  private readonly clients = new KubeClientCache();
  /** resourceVersion of the last read, per target, sent with the patch so a concurrent change answers 409. */
  private readonly lastVersion = new Map<string, string>();

  async read(target: ResolvedTarget, setting: string): Promise<number> {
    assertReplicas(setting);
    const scale = await this.readScale(target);
    return scale.spec?.replicas ?? 0;
  }

  async readBack(target: ResolvedTarget): Promise<number> {
    // status.replicas counts pods the controller has created for the new spec: the "it landed" signal the scale
    // subresource offers without granting read access to the workload's pods.
    const scale = await this.readScale(target);
    return scale.status?.replicas ?? 0;
  }

  async check(target: ResolvedTarget): Promise<void> {
    if (target.entry.allowHpaConflict) return;
    const { namespace, name } = nameOf(target);
    let other: string | null;
    try {
      other = await findOtherAutoscaler(this.clientsFor(target), namespace, target.entry.kind, name);
    } catch (error) {
      throw toExecutorError(error, `list autoscalers in ${namespace}`);
    }
    if (other) {
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `${target.entry.kind} ${namespace}/${name} is already scaled by ${other}; set allowHpaConflict to override`,
      );
    }
  }

  async apply(target: ResolvedTarget, setting: string, value: number, _ctx: ApplyContext): Promise<void> {
    assertReplicas(setting);
    const { namespace, name } = nameOf(target);
    const resourceVersion = this.lastVersion.get(target.entry.id);
    const body = { metadata: resourceVersion ? { resourceVersion } : {}, spec: { replicas: value } };
    const { apps, options } = this.clientsFor(target);
    const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch, options);
    try {
      const scale =
        target.entry.kind === 'StatefulSet'
          ? await apps.patchNamespacedStatefulSetScale({ name, namespace, body }, mergePatch)
          : await apps.patchNamespacedDeploymentScale({ name, namespace, body }, mergePatch);
      this.remember(target, scale);
    } catch (error) {
      throw toExecutorError(error, `patch ${target.entry.kind} ${namespace}/${name} scale`);
    }
  }

  async awaitReady(target: ResolvedTarget, _setting: string, value: number, timeoutMs: number): Promise<Readiness> {
    const startedAt = Date.now();
    const deadline = startedAt + timeoutMs;
    let seen = 'nothing read';
    let failure: string | null = null;
    for (;;) {
      try {
        // A hung API server must not hold the wait past its deadline, yet the last read gets a fair chance.
        const budget = Math.max(READY_POLL_MS, deadline - Date.now());
        const judgement = judgeReadiness(await withTimeout(this.readWorkload(target), budget, 'read'), value);
        if (judgement.ready) return { ready: true, detail: judgement.seen };
        seen = judgement.seen;
        failure = null;
      } catch (error) {
        failure = messageOf(error);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const waited = Math.round((Date.now() - startedAt) / 1000);
        const last = failure ? `; the last read failed: ${failure}` : '';
        return { ready: false, detail: `not ready after ${waited} s: ${seen}${last}` };
      }
      await sleep(Math.min(READY_POLL_MS, remaining));
    }
  }

  async observe(target: ResolvedTarget): Promise<Record<string, number>> {
    const scale = await this.readScale(target);
    return { replicas: scale.spec?.replicas ?? 0, status_replicas: scale.status?.replicas ?? 0 };
  }

  private async readScale(target: ResolvedTarget): Promise<V1Scale> {
    const { namespace, name } = nameOf(target);
    const { apps, options } = this.clientsFor(target);
    try {
      const scale =
        target.entry.kind === 'StatefulSet'
          ? await apps.readNamespacedStatefulSetScale({ name, namespace }, options)
          : await apps.readNamespacedDeploymentScale({ name, namespace }, options);
      this.remember(target, scale);
      return scale;
    } catch (error) {
      throw toExecutorError(error, `read ${target.entry.kind} ${namespace}/${name} scale`);
    }
  }

  private async readWorkload(target: ResolvedTarget): Promise<WorkloadState> {
    const { namespace, name } = nameOf(target);
    const { apps, options } = this.clientsFor(target);
    try {
      const workload =
        target.entry.kind === 'StatefulSet'
          ? await apps.readNamespacedStatefulSet({ name, namespace }, options)
          : await apps.readNamespacedDeployment({ name, namespace }, options);
      return { generation: workload.metadata?.generation, ...workload.status };
    } catch (error) {
      throw toExecutorError(error, `read ${target.entry.kind} ${namespace}/${name}`);
    }
  }

  private remember(target: ResolvedTarget, scale: V1Scale): void {
    if (scale.metadata?.resourceVersion) this.lastVersion.set(target.entry.id, scale.metadata.resourceVersion);
  }

  private clientsFor(target: ResolvedTarget): KubeClients {
    return this.clients.get(target.connection);
  }
}

function assertReplicas(setting: string): void {
  if (setting !== REPLICAS)
    throw new ExecutorError(ExecutorErrorCode.Refused, `Kubernetes workloads only scale ${REPLICAS}, not ${setting}`);
}

/** Target ids are `namespace/name`; `options.name` overrides the name when the id is an alias. */
function nameOf(target: ResolvedTarget): { namespace: string; name: string } {
  const [namespace, ...rest] = target.entry.id.split('/');
  const name = typeof target.entry.options['name'] === 'string' ? target.entry.options['name'] : rest.join('/');
  if (!namespace || !name)
    throw new ExecutorError(ExecutorErrorCode.Refused, `target id ${target.entry.id} is not namespace/name`);
  return { namespace, name };
}
