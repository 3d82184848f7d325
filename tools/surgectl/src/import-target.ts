import type { ImportNotes } from './import-notes';
import { objectAt, type RawObject } from './import-values';

/** The kinds whose `replicas` Surge's Kubernetes executor sets (apps/v1). */
const SCALABLE_KINDS = ['Deployment', 'StatefulSet'];

/**
 * A scaleTargetRef as a Surge target: the kind verbatim and the id `<namespace>/<name>`, the namespace being the
 * autoscaler's own (a scaleTargetRef cannot point into another namespace).
 */
export function importScaleTarget(
  metadata: RawObject,
  ref: unknown,
  defaultKind: string | undefined,
  path: string,
  notes: ImportNotes,
): RawObject {
  const target = objectAt(ref);
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : 'default';
  const kind = typeof target.kind === 'string' ? target.kind : defaultKind;
  const name = typeof target.name === 'string' && target.name ? target.name : undefined;
  // Left out rather than guessed, so that Surge's parser refuses the policy.
  if (name === undefined) notes.drop(`${path}.name`, 'is missing');
  if (kind !== undefined && !SCALABLE_KINDS.includes(kind))
    notes.note(`${path}.kind`, `Surge's Kubernetes executor scales ${SCALABLE_KINDS.join(' and ')}, not ${kind}`);
  if (target.apiVersion !== undefined && target.apiVersion !== 'apps/v1')
    notes.drop(`${path}.apiVersion`, `Surge targets apps/v1 ${kind ?? 'objects'}`);
  notes.dropUnknown(target, ['apiVersion', 'kind', 'name'], path, 'Surge targets name only a kind and a name');
  return { id: name === undefined ? undefined : `${namespace}/${name}`, kind, namespace, name };
}

/** What metadata carries besides the name and namespace has no place in a ScalingPolicy. */
export function dropMetadataExtras(metadata: RawObject, notes: ImportNotes): void {
  for (const key of ['labels', 'annotations'])
    if (metadata[key] !== undefined) notes.drop(`metadata.${key}`, 'a ScalingPolicy carries only its name');
}
