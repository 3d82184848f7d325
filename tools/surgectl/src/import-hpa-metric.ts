import type { ImportNotes } from './import-notes';
import { isObject, metricNameOf, objectAt, type RawObject } from './import-values';
import { parseQuantity } from './k8s-quantity';

/** Surge's metric names for a resource's average value: the unit is in the name, as Prometheus names it. */
const RESOURCE_USAGE: Record<string, string> = { cpu: 'cpu_usage_cores', memory: 'memory_usage_bytes' };
const TARGET_FIELD = { Utilization: 'averageUtilization', Value: 'value', AverageValue: 'averageValue' } as const;

export interface ImportedMetric {
  metric: string;
  target: RawObject;
}

/** One autoscaling/v2 MetricSpec as a Surge metric, or undefined (with a note) when Surge has no equivalent. */
export function importHpaMetric(raw: unknown, path: string, notes: ImportNotes): ImportedMetric | undefined {
  const spec = objectAt(raw);
  const type = spec.type;
  if (type === 'Resource') return importResource(objectAt(spec.resource), `${path}.resource`, notes);
  if (type === 'Pods' || type === 'Object' || type === 'External') {
    const field = String(type).toLowerCase();
    const source = objectAt(spec[field]);
    const at = `${path}.${field}`;
    if (type === 'Object' && source.describedObject !== undefined)
      notes.drop(
        `${at}.describedObject`,
        `Surge reads "${String(objectAt(source.metric).name)}" from the target's own samples: post them for the target, not for ${describe(source.describedObject)}`,
      );
    return importNamed(source, at, notes);
  }
  if (type === 'ContainerResource')
    notes.drop(path, 'Surge has no per-container metrics; a Resource metric of the whole pod is the nearest');
  else notes.drop(path, `unknown metric type ${JSON.stringify(type)}`);
  return undefined;
}

function importResource(resource: RawObject, path: string, notes: ImportNotes): ImportedMetric | undefined {
  const name = String(resource.name ?? '');
  const target = importTarget(resource.target, `${path}.target`, notes);
  if (!name || !target) return void notes.drop(path, 'needs a name and a target');
  const metric =
    target.type === 'Utilization'
      ? `${metricNameOf(name)}_utilization`
      : (RESOURCE_USAGE[name] ?? `${metricNameOf(name)}_usage`);
  if (target.type !== 'Utilization')
    notes.note(path, `the average ${name} per pod is read as metric ${metric}: its samples must be in that unit`);
  return { metric, target };
}

function importNamed(source: RawObject, path: string, notes: ImportNotes): ImportedMetric | undefined {
  const identifier = objectAt(source.metric);
  const name = identifier.name;
  if (typeof name !== 'string' || name === '') return void notes.drop(path, 'needs metric.name');
  if (identifier.selector !== undefined)
    notes.drop(
      `${path}.metric.selector`,
      'Surge metrics have no labels: a sample is one value per target, so select the series before ingest',
    );
  const target = importTarget(source.target, `${path}.target`, notes);
  if (!target) return undefined;
  const metric = metricNameOf(name);
  if (metric !== name) notes.note(`${path}.metric.name`, `"${name}" is named ${metric} in Surge`);
  return { metric, target };
}

function importTarget(raw: unknown, path: string, notes: ImportNotes): RawObject | undefined {
  if (!isObject(raw)) return void notes.drop(path, 'is missing');
  const type = raw.type as keyof typeof TARGET_FIELD;
  const field = TARGET_FIELD[type];
  if (!field) return void notes.drop(path, `unknown target type ${JSON.stringify(raw.type)}`);
  notes.dropUnknown(raw, ['type', field], path, `not read with type ${type}`);
  try {
    // Utilization is a plain percentage in the API; the two values are Quantities.
    const value = type === 'Utilization' ? raw[field] : parseQuantity(raw[field]);
    return { type, [field]: value };
  } catch (error) {
    return void notes.drop(`${path}.${field}`, (error as Error).message);
  }
}

function describe(object: unknown): string {
  const described = objectAt(object);
  return `${String(described.kind ?? 'an object')}/${String(described.name ?? '?')}`;
}
