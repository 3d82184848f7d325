/**
 * Serialises work per key (one target) while different keys run concurrently: one slow or failing target
 * holds only its own lane, never the others.
 */
export class TargetLanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.enqueue([key], this.tails.get(key), work);
  }

  /**
   * Work that touches several keys at once (a batch over many targets): it starts after all earlier work on
   * any of them and holds every one of their lanes until it ends, so later work on any of them waits for it.
   */
  runMany<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const previous: Promise<unknown>[] = [];
    for (const key of keys) {
      const tail = this.tails.get(key);
      if (tail !== undefined) previous.push(tail);
    }
    return this.enqueue(keys, previous.length ? Promise.all(previous) : undefined, work);
  }

  /** Resolves once every queued piece of work has finished, for a graceful shutdown. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  // A tail never rejects, so a failed piece of work does not block the work queued behind it.
  private enqueue<T>(keys: readonly string[], previous: Promise<unknown> | undefined, work: () => Promise<T>) {
    const next = (previous ?? Promise.resolve()).then(work);
    const tail = next.catch(() => undefined);
    for (const key of keys) this.tails.set(key, tail);
    // The tail never rejects; releasing on either outcome keeps that true for the rule and for the next reader.
    const release = () => {
      for (const key of keys) if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    void tail.then(release, release);
    return next;
  }
}
