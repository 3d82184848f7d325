import { importBehavior } from './import-behavior';
import type { ImportedMetric } from './import-hpa-metric';
import { importKedaTrigger } from './import-keda-trigger';
import type { ImportNotes } from './import-notes';
import { POLICY_HEAD, type ImportedPolicy } from './import-policy';
import { dropMetadataExtras, importScaleTarget } from './import-target';
import { isObject, listAt, objectAt, type RawObject } from './import-values';

const SPEC_FIELDS = ['scaleTargetRef', 'minReplicaCount', 'maxReplicaCount', 'advanced', 'triggers'];

/** Why KEDA's other settings have no place in a ScalingPolicy. */
const KEDA_ONLY: Record<string, string> = {
  pollingInterval: 'Surge is sent samples rather than polling a source',
  cooldownPeriod: "KEDA's cooldown before scaling to 0; Surge's scale-down follows behavior.scaleDown",
  initialCooldownPeriod: "KEDA's delay before the first scale to 0; Surge has none",
  idleReplicaCount: 'Surge has no idle count distinct from minReplicas',
  fallback: 'Surge has no fallback replica count: a metric without samples for metricStaleness counts as missing',
};

/** One KEDA ScaledObject as a ScalingPolicy, with KEDA's defaults (min 0, max 100, a Deployment) made explicit. */
export function importKeda(raw: RawObject, notes: ImportNotes, now: Date): ImportedPolicy | undefined {
  if (raw.kind !== 'ScaledObject' || raw.apiVersion !== 'keda.sh/v1alpha1')
    return void notes.drop(
      '(root)',
      `${String(raw.apiVersion)} ${String(raw.kind)} is not a keda.sh/v1alpha1 ScaledObject`,
    );
  const metadata = objectAt(raw.metadata);
  const spec = objectAt(raw.spec);
  dropMetadataExtras(metadata, notes);
  for (const key of Object.keys(spec))
    if (!SPEC_FIELDS.includes(key)) notes.drop(`spec.${key}`, KEDA_ONLY[key] ?? 'not a ScaledObject field Surge knows');
  const behavior = importAdvanced(objectAt(spec.advanced), notes);
  const metrics: ImportedMetric[] = [];
  const schedules: RawObject[] = [];
  listAt(spec.triggers).forEach((trigger, index) => {
    const imported = isObject(trigger) ? importKedaTrigger(trigger, index, notes, now) : undefined;
    if (imported?.metric) metrics.push(imported.metric);
    if (imported?.schedule) schedules.push(imported.schedule);
  });
  return {
    ...POLICY_HEAD,
    metadata: { name: metadata.name },
    spec: {
      target: importScaleTarget(metadata, spec.scaleTargetRef, 'Deployment', 'spec.scaleTargetRef', notes),
      minReplicas: spec.minReplicaCount ?? 0,
      maxReplicas: spec.maxReplicaCount ?? 100,
      ...(metrics.length ? { metrics } : {}),
      ...(behavior === undefined ? {} : { behavior }),
      ...(schedules.length ? { schedules } : {}),
    },
  };
}

function importAdvanced(advanced: RawObject, notes: ImportNotes): RawObject | undefined {
  const hpaConfig = objectAt(advanced.horizontalPodAutoscalerConfig);
  if (advanced.restoreToOriginalReplicaCount !== undefined)
    notes.drop(
      'spec.advanced.restoreToOriginalReplicaCount',
      'Surge has no setting for the replicas a removed policy leaves',
    );
  if (advanced.scalingModifiers !== undefined)
    notes.drop('spec.advanced.scalingModifiers', 'write the formula as a rule with an `expr` condition');
  notes.dropUnknown(
    advanced,
    ['horizontalPodAutoscalerConfig', 'restoreToOriginalReplicaCount', 'scalingModifiers'],
    'spec.advanced',
    'not an advanced field Surge knows',
  );
  if (hpaConfig.name !== undefined)
    notes.drop('spec.advanced.horizontalPodAutoscalerConfig.name', 'Surge creates no HPA object');
  return importBehavior(hpaConfig.behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior', notes);
}
