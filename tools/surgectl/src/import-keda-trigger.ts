import { cronWindow, formatDuration } from './cron-window';
import type { ImportedMetric } from './import-hpa-metric';
import type { ImportNotes } from './import-notes';
import { metricNameOf, objectAt, type RawObject } from './import-values';
import { parseQuantity } from './k8s-quantity';

export interface ImportedTrigger {
  metric?: ImportedMetric;
  schedule?: RawObject;
}

interface Trigger {
  raw: RawObject;
  metadata: RawObject;
  index: number;
  path: string;
  notes: ImportNotes;
}

const RESOURCE_METRIC = { cpu: 'cpu', memory: 'memory' } as const;

/** One KEDA trigger as a Surge metric or schedule; a scaler Surge has no counterpart for is noted and skipped. */
export function importKedaTrigger(
  raw: RawObject,
  index: number,
  notes: ImportNotes,
  now: Date,
): ImportedTrigger | undefined {
  const trigger: Trigger = { raw, metadata: objectAt(raw.metadata), index, path: `spec.triggers.${index}`, notes };
  dropTriggerExtras(trigger);
  if (raw.type === 'cron') return importCron(trigger, now);
  if (raw.type === 'prometheus') return importPrometheus(trigger);
  if (raw.type === 'cpu' || raw.type === 'memory') return importResource(trigger, raw.type);
  notes.drop(
    trigger.path,
    `Surge has no ${String(raw.type)} scaler: send the value it reads to metrics-ingest and name it in spec.metrics`,
  );
  return undefined;
}

function dropTriggerExtras({ raw, path, notes }: Trigger) {
  if (raw.authenticationRef !== undefined)
    notes.drop(`${path}.authenticationRef`, 'Surge queries no source: samples are pushed to metrics-ingest');
  if (raw.useCachedMetrics !== undefined) notes.drop(`${path}.useCachedMetrics`, 'Surge keeps no metric cache');
}

function importCron({ raw, metadata, index, path, notes }: Trigger, now: Date): ImportedTrigger | undefined {
  notes.dropUnknown(metadata, ['timezone', 'start', 'end', 'desiredReplicas'], `${path}.metadata`, 'not a cron field');
  const { start, end, desiredReplicas } = metadata;
  const timezone = typeof metadata.timezone === 'string' ? metadata.timezone : 'UTC';
  if (typeof start !== 'string' || typeof end !== 'string')
    return void notes.drop(path, 'a cron trigger needs metadata.start and metadata.end');
  const replicas = Number(desiredReplicas);
  if (!Number.isInteger(replicas) || replicas < 0)
    return void notes.drop(
      `${path}.metadata.desiredReplicas`,
      `not a replica count: ${JSON.stringify(desiredReplicas)}`,
    );
  let window;
  try {
    window = cronWindow(start, end, timezone, now);
  } catch (error) {
    return void notes.drop(`${path}.metadata`, `cannot measure the window: ${(error as Error).message}`);
  }
  if (window.lengths.length)
    notes.note(
      `${path}.metadata.end`,
      `the window lasts ${window.lengths.map(formatDuration).join(' or ')}; Surge's is fixed at ${formatDuration(window.seconds)}`,
    );
  return {
    schedule: {
      name: typeof raw.name === 'string' ? raw.name : `cron-${index}`,
      cron: start,
      duration: formatDuration(window.seconds),
      timezone,
      minReplicas: replicas,
    },
  };
}

function importPrometheus({ raw, metadata, index, path, notes }: Trigger): ImportedTrigger | undefined {
  const named = metadata.metricName ?? raw.name;
  const metric = metricNameOf(typeof named === 'string' ? named : `prometheus_${index}`);
  if (named === undefined) notes.note(path, `neither metadata.metricName nor name: the metric is named ${metric}`);
  if (metadata.activationThreshold !== undefined)
    notes.drop(
      `${path}.metadata.activationThreshold`,
      'Surge has no activation step: from 0 replicas the target value alone decides',
    );
  notes.dropUnknown(
    metadata,
    ['query', 'threshold', 'metricName', 'activationThreshold'],
    `${path}.metadata`,
    'Surge does not query Prometheus: Prometheus writes to Surge',
  );
  notes.note(
    `${path}.metadata.query`,
    `Surge does not run "${String(metadata.query)}": record it as ${metric} with a recording rule (labels ` +
      `namespace and deployment, or surge_target) and remote-write it to metrics-ingest's /api/v1/write`,
  );
  const target = importValueTarget(
    raw.metricType ?? 'AverageValue',
    metadata.threshold,
    `${path}.metadata.threshold`,
    notes,
  );
  return target && { metric: { metric, target } };
}

function importResource({ raw, metadata, path, notes }: Trigger, resource: 'cpu' | 'memory') {
  if (metadata.containerName !== undefined)
    return void notes.drop(path, 'Surge has no per-container metrics; leave containerName out for the whole pod');
  notes.dropUnknown(metadata, ['type', 'value'], `${path}.metadata`, `not a ${resource} field`);
  // `metadata.type` is the form KEDA deprecated for the trigger's `metricType`.
  const metricType = raw.metricType ?? metadata.type;
  if (metricType === 'Utilization') {
    const value = Number(metadata.value);
    if (!Number.isFinite(value))
      return void notes.drop(`${path}.metadata.value`, `not a percentage: ${JSON.stringify(metadata.value)}`);
    return {
      metric: {
        metric: `${RESOURCE_METRIC[resource]}_utilization`,
        target: { type: 'Utilization', averageUtilization: value },
      },
    };
  }
  if (metricType !== 'AverageValue')
    return void notes.drop(path, `metricType ${String(metricType)}: KEDA takes Utilization or AverageValue`);
  const target = importValueTarget('AverageValue', metadata.value, `${path}.metadata.value`, notes);
  const metric = resource === 'cpu' ? 'cpu_usage_cores' : 'memory_usage_bytes';
  if (target)
    notes.note(path, `the average ${resource} per pod is read as metric ${metric}: its samples must be in that unit`);
  return target && { metric: { metric, target } };
}

function importValueTarget(type: unknown, raw: unknown, path: string, notes: ImportNotes): RawObject | undefined {
  try {
    const value = parseQuantity(raw);
    if (type === 'Value') return { type: 'Value', value };
    if (type === 'AverageValue') return { type: 'AverageValue', averageValue: value };
    return void notes.drop(path, `metricType ${String(type)} has no Surge equivalent here`);
  } catch (error) {
    return void notes.drop(path, (error as Error).message);
  }
}
