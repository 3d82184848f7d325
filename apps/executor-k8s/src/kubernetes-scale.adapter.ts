import { PatchStrategy, setHeaderOptions, type V1Scale } from '@kubernetes/client-node';
import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';
import { findOtherAutoscaler } from './autoscaler-conflict.check';
import { KubeClientCache, type KubeClients, toExecutorError } from './kube-clients';

const REPLICAS = 'replicas';

/**
 * Deployments and StatefulSets through their scale subresource, the same door `kubectl scale` and the HPA use:
 * the executor needs get and patch on the scale subresources only, never write access to the workload itself.
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
