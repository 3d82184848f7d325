import { ApiException } from '@kubernetes/client-node';
import type { KubeClients } from './kube-clients';

interface ScaleTargetRef {
  kind?: string;
  name?: string;
}

/**
 * Names the HorizontalPodAutoscaler or KEDA ScaledObject that already scales a workload, or null.
 * Two autoscalers writing one Deployment's replicas undo each other every sync period: a classic outage.
 * A cluster without KEDA answers 404 for ScaledObjects, which means "none".
 */
export async function findOtherAutoscaler(
  clients: KubeClients,
  namespace: string,
  kind: string,
  name: string,
): Promise<string | null> {
  const [hpas, scaledObjects] = await Promise.all([
    clients.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }, clients.options),
    listScaledObjects(clients, namespace),
  ]);
  const hpa = hpas.items.find((h) => matches(h.spec?.scaleTargetRef, kind, name));
  if (hpa) return `HorizontalPodAutoscaler ${namespace}/${hpa.metadata?.name}`;
  // KEDA's scaleTargetRef.kind defaults to Deployment when omitted.
  const scaled = scaledObjects.find((s) => matches({ kind: 'Deployment', ...s.spec?.scaleTargetRef }, kind, name));
  if (scaled) return `KEDA ScaledObject ${namespace}/${scaled.metadata?.name}`;
  return null;
}

type ScaledObject = { metadata?: { name?: string }; spec?: { scaleTargetRef?: ScaleTargetRef } };

async function listScaledObjects(clients: KubeClients, namespace: string): Promise<ScaledObject[]> {
  try {
    const list = (await clients.custom.listNamespacedCustomObject(
      { group: 'keda.sh', version: 'v1alpha1', namespace, plural: 'scaledobjects' },
      clients.options,
    )) as { items?: ScaledObject[] };
    return list.items ?? [];
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return [];
    throw error;
  }
}

function matches(ref: ScaleTargetRef | undefined, kind: string, name: string): boolean {
  return ref?.kind === kind && ref?.name === name;
}
