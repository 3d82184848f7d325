import type { Bounds } from './bounds.policy';
import type { TargetEntry, TargetsFile } from './targets-file.schema';

/** The namespace of a target id, by the `namespace/name` convention; null when the id has no namespace. */
export function namespaceOf(targetId: string): string | null {
  const slash = targetId.indexOf('/');
  return slash > 0 ? targetId.slice(0, slash) : null;
}

/**
 * The parsed targets file, indexed for lookups by id. An executor whose targets appear at run time (the waiting
 * room, whose rooms are created through its admin API) subclasses it and reloads them in `refresh`.
 */
export class TargetCatalog {
  private readonly byId: Map<string, TargetEntry>;

  constructor(readonly file: TargetsFile) {
    this.byId = new Map(file.targets.map((t) => [t.id, t]));
  }

  get(targetId: string): TargetEntry | undefined {
    return this.byId.get(targetId);
  }

  all(): TargetEntry[] {
    return [...this.byId.values()];
  }

  /** A targets file is read once at boot, so there is nothing to reload; called before each batch of decisions. */
  async refresh(): Promise<void> {}

  /** Why a decision for an id this catalog does not know is rejected. */
  unknownTargetReason(targetId: string): string {
    return `unknown target ${targetId}`;
  }

  namespaceAllowed(targetId: string): boolean {
    if (!this.file.namespaces) return true;
    const namespace = namespaceOf(targetId);
    return namespace !== null && this.file.namespaces.includes(namespace);
  }
}

/** The bounds for one setting, or null when the targets file gives none (the setting is then not allowed). */
export function boundsFor(target: TargetEntry, setting: string): Bounds | null {
  const b = target.bounds as Bounds | Record<string, Bounds>;
  if (typeof (b as Bounds).min === 'number' && typeof (b as Bounds).max === 'number') return b as Bounds;
  return (b as Record<string, Bounds>)[setting] ?? null;
}
