import type { AdminStore, RememberedChange } from './admin-store';

/** One process's store: a single copy of the shop, and the tests. Bounded: the oldest key goes first. */
export class MemoryAdminStore implements AdminStore {
  private readonly settings = new Map<string, number>();
  private readonly changes = new Map<string, RememberedChange>();

  constructor(private readonly capacity = 10_000) {}

  async values(): Promise<Record<string, number>> {
    return Object.fromEntries(this.settings);
  }

  async set(name: string, value: number): Promise<void> {
    this.settings.set(name, value);
  }

  async recall(key: string): Promise<RememberedChange | null> {
    return this.changes.get(key) ?? null;
  }

  async remember(key: string, change: RememberedChange): Promise<void> {
    if (this.changes.has(key)) return;
    if (this.changes.size >= this.capacity) this.changes.delete(this.changes.keys().next().value!);
    this.changes.set(key, change);
  }
}
