import { observedState } from '@surge/contracts';
import { TargetCatalog, type TargetEntry, targetsFileSchema } from '@surge/executor-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Executor } from './executor.interface';
import { ExecutorRegistry } from './executor.registry';
import { ObservedStatePublisher, type ObservedStateOptions } from './observed-state.publisher';

const catalog = new TargetCatalog(
  targetsFileSchema.parse({
    targets: [
      { id: 'shop/web', kind: 'Deployment', bounds: { min: 1, max: 10 } },
      { id: 'db/main', kind: 'PostgresDatabase', bounds: { work_mem: { min: 1, max: 64 } } },
      { id: 'shop/frozen', kind: 'Deployment', bounds: { min: 1, max: 3 }, allowed: false },
    ],
  }),
);

function registry(observe: Executor['observe']): ExecutorRegistry {
  const adapter = (kinds: string[]): Executor => ({
    kinds,
    read: async () => 0,
    apply: async () => undefined,
    observe,
  });
  return new ExecutorRegistry().register(adapter(['Deployment'])).register(adapter(['PostgresDatabase']));
}

function publisher(observe: Executor['observe'], overrides: Partial<ObservedStateOptions> = {}) {
  const options: ObservedStateOptions = {
    executorName: 'test-executor',
    intervalMs: 10,
    publishObserved: vi.fn(async () => undefined),
    publishSamples: vi.fn(async () => undefined),
    onFailure: vi.fn(),
    onPublishFailure: vi.fn(),
    ...overrides,
  };
  return { publisher: new ObservedStatePublisher(registry(observe), catalog, options), options };
}

describe('ObservedStatePublisher', () => {
  afterEach(() => vi.useRealTimers());

  it('refreshes the catalog before each tick, so a target created at run time is observed', async () => {
    class GrowingCatalog extends TargetCatalog {
      private loaded: TargetEntry[] = [];
      override async refresh(): Promise<void> {
        this.loaded = targetsFileSchema.parse({
          targets: [{ id: 'shop/late', kind: 'Deployment', bounds: { min: 1, max: 5 } }],
        }).targets;
      }
      override all(): TargetEntry[] {
        return this.loaded;
      }
    }
    const late = new GrowingCatalog(targetsFileSchema.parse({ targets: [] }));
    const publishObserved = vi.fn(async () => undefined);
    const p = new ObservedStatePublisher(
      registry(async () => ({ replicas: 2 })),
      late,
      {
        executorName: 'test-executor',
        intervalMs: 10,
        publishObserved,
        publishSamples: vi.fn(async () => undefined),
      },
    );
    await p.publishOnce(1_000);
    expect(publishObserved).toHaveBeenCalledWith([
      expect.objectContaining({ target: expect.objectContaining({ id: 'shop/late' }) }),
    ]);
  });

  it('publishes settings as observed state and the rest as workload samples, never a setting as a sample', async () => {
    const { publisher: p, options } = publisher(async (target): Promise<Record<string, number>> =>
      target.entry.kind === 'Deployment'
        ? { replicas: 3, status_replicas: 2 }
        : { database_connection_limit: 50, work_mem: 4, connections: 12 },
    );
    const tick = await p.publishOnce(1_000);
    expect(tick.observations.map((o) => observedState.parse(o))).toEqual([
      {
        schemaVersion: 1,
        target: { kind: 'Deployment', id: 'shop/web' },
        executor: 'test-executor',
        settings: { replicas: 3, status_replicas: 2 },
        observedAt: 1_000,
      },
      {
        schemaVersion: 1,
        target: { kind: 'PostgresDatabase', id: 'db/main' },
        executor: 'test-executor',
        settings: { database_connection_limit: 50, work_mem: 4 },
        observedAt: 1_000,
      },
    ]);
    expect(tick.samples).toEqual([
      {
        schemaVersion: 1,
        target: 'db/main',
        samples: [expect.objectContaining({ target: 'db/main', metric: 'connections', value: 12, timestamp: 1_000 })],
      },
    ]);
    expect(options.publishObserved).toHaveBeenCalledWith(tick.observations);
    expect(options.publishSamples).toHaveBeenCalledWith(tick.samples);
  });

  it('counts a target it cannot read and still reports the others', async () => {
    const { publisher: p, options } = publisher(async (target) => {
      if (target.entry.kind === 'PostgresDatabase') throw new Error('connection refused');
      return { replicas: 3 };
    });
    const tick = await p.publishOnce(1_000);
    expect(tick.observations.map((o) => o.target.id)).toEqual(['shop/web']);
    expect(options.onFailure).toHaveBeenCalledWith('PostgresDatabase');
  });

  it('logs and counts a failed publish, and the next tick tries again, without an unhandled rejection', async () => {
    vi.useFakeTimers();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const publishObserved = vi
      .fn<ObservedStateOptions['publishObserved']>()
      .mockRejectedValueOnce(new Error('broker down'))
      .mockResolvedValue(undefined);
    const { publisher: p, options } = publisher(async () => ({ replicas: 3 }), { publishObserved });
    p.start();
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(10);
    await p.stop();
    vi.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', unhandled);
    expect(options.onPublishFailure).toHaveBeenCalledTimes(1);
    expect(publishObserved).toHaveBeenCalledTimes(2);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
