import { importBehavior } from './import-behavior';
import { importHpaMetric, type ImportedMetric } from './import-hpa-metric';
import type { ImportNotes } from './import-notes';
import { POLICY_HEAD, type ImportedPolicy } from './import-policy';
import { listAt, objectAt, type RawObject } from './import-values';
import { dropMetadataExtras, importScaleTarget } from './import-target';

const API_VERSIONS = ['autoscaling/v2', 'autoscaling/v2beta2', 'autoscaling/v1'];
const SPEC_FIELDS = [
  'scaleTargetRef',
  'minReplicas',
  'maxReplicas',
  'metrics',
  'behavior',
  'targetCPUUtilizationPercentage',
];

/** The metric an HPA without any scales on, as the autoscaling/v2 API documents it. */
const DEFAULT_METRIC: ImportedMetric = {
  metric: 'cpu_utilization',
  target: { type: 'Utilization', averageUtilization: 80 },
};

/** One HorizontalPodAutoscaler as a ScalingPolicy; anything else is skipped with a note. */
export function importHpa(raw: RawObject, notes: ImportNotes): ImportedPolicy | undefined {
  if (raw.kind !== 'HorizontalPodAutoscaler' || !API_VERSIONS.includes(String(raw.apiVersion)))
    return void notes.drop('(root)', `${String(raw.apiVersion)} ${String(raw.kind)} is not an autoscaling/v2 HPA`);
  const metadata = objectAt(raw.metadata);
  const spec = objectAt(raw.spec);
  dropMetadataExtras(metadata, notes);
  notes.dropUnknown(spec, SPEC_FIELDS, 'spec', 'not a field of an autoscaling/v2 HPA spec');
  const behavior = importBehavior(spec.behavior, 'spec.behavior', notes);
  return {
    ...POLICY_HEAD,
    metadata: { name: metadata.name },
    spec: {
      target: importScaleTarget(metadata, spec.scaleTargetRef, undefined, 'spec.scaleTargetRef', notes),
      minReplicas: spec.minReplicas ?? 1,
      maxReplicas: spec.maxReplicas,
      metrics: importMetrics(spec, notes),
      ...(behavior === undefined ? {} : { behavior }),
    },
  };
}

function importMetrics(spec: RawObject, notes: ImportNotes): ImportedMetric[] {
  // autoscaling/v1 has one metric, a CPU utilization.
  if (spec.targetCPUUtilizationPercentage !== undefined)
    return [
      {
        metric: 'cpu_utilization',
        target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    ];
  if (spec.metrics === undefined) {
    notes.note('spec.metrics', 'absent: HPA then scales on 80 % average CPU utilization, written out here');
    return [DEFAULT_METRIC];
  }
  return listAt(spec.metrics).flatMap((metric, index) => importHpaMetric(metric, `spec.metrics.${index}`, notes) ?? []);
}
