import type { Executor } from './executor.interface';

/** Kind → adapter. Adding a back end is one adapter file and one `register` line in the app. */
export class ExecutorRegistry {
  private readonly byKind = new Map<string, Executor>();

  register(executor: Executor): this {
    for (const kind of executor.kinds) {
      if (this.byKind.has(kind)) throw new Error(`an executor for kind ${kind} is already registered`);
      this.byKind.set(kind, executor);
    }
    return this;
  }

  owns(kind: string): boolean {
    return this.byKind.has(kind);
  }

  forKind(kind: string): Executor {
    const executor = this.byKind.get(kind);
    if (!executor) throw new Error(`no executor registered for kind ${kind}`);
    return executor;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...new Set(this.byKind.values())].map((e) => e.close?.()));
  }
}
