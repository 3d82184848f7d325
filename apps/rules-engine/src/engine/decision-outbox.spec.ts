import type { AlertEvent, ScaleDecision, ScaleExplanation, Topics } from '@surge/contracts';
import { emptyState } from '@surge/decision-core';
import { testPolicy } from '@surge/decision-core/testing';
import type { OutgoingMessage, SurgeProducer } from '@surge/kafka';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeStoredTarget, encodeStoredTarget, type StoredTarget } from '../state/stored-target.codec';
import type { TargetStateRepository } from '../state/target-state.repository';
import { DecisionOutbox } from './decision-outbox.service';
import type { RulesEngineMetrics } from './rules-engine.metrics';
import { StateCommit } from './state-commit.service';
import { SurgeTracing } from '@surge/tracing';

/** Redis as the repository sees it: encoded values, and a write that can fail as a crash would cut it short. */
class InMemoryRepository {
  readonly values = new Map<string, string>();
  failSaveManyCall: number | null = null;
  private saveManyCalls = 0;

  stored(id: string): StoredTarget | null {
    const raw = this.values.get(id);
    return raw === undefined ? null : decodeStoredTarget(raw).stored!;
  }
  async load(id: string): Promise<{ stored: StoredTarget | null; observed: null }> {
    return { stored: this.stored(id), observed: null };
  }
  async save(id: string, stored: StoredTarget): Promise<void> {
    this.values.set(id, encodeStoredTarget(stored));
  }
  async loadMany(ids: string[]): Promise<{ stored: (StoredTarget | null)[]; observed: null[] }> {
    return { stored: ids.map((id) => this.stored(id)), observed: ids.map(() => null) };
  }
  async saveMany(entries: [string, StoredTarget][]): Promise<void> {
    this.saveManyCalls += 1;
    if (this.saveManyCalls === this.failSaveManyCall) throw new Error('crash before the write');
    for (const [id, stored] of entries) await this.save(id, stored);
  }
  outboxOf(id: string): string[] {
    return decodeStoredTarget(this.values.get(id)!).stored!.outbox.map((entry) => idOf(entry.event));
  }
}

type Published = ScaleDecision | AlertEvent | ScaleExplanation;
const idOf = (event: Published) =>
  'decisionId' in event ? event.decisionId : 'alertId' in event ? event.alertId : event.explanationId;

class RecordingProducer {
  readonly published: string[] = [];
  /** Each id with the topic it was sent to and its key. */
  readonly sent: [topic: string, key: string, id: string][] = [];
  failNext = false;
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('crash while publishing');
    }
    for (const m of messages) {
      const id = idOf(JSON.parse(m.value as string) as Published);
      this.sent.push([topic, m.key as string, id]);
      if (topic === 'decisions') this.published.push(id);
    }
  }
}

const decision = (id: string, target: string) =>
  ({ decisionId: id, target: { id: target, kind: 'Deployment' }, explanation: { summary: 'up' } }) as ScaleDecision;
const state = { ...emptyState(2), lastEvaluatedAt: 1_000 };
const policy = (id: string) => testPolicy({ target: { id, kind: 'Deployment' } });

let repository: InMemoryRepository;
let producer: RecordingProducer;
let commit: StateCommit;

beforeEach(() => {
  repository = new InMemoryRepository();
  producer = new RecordingProducer();
  const metrics = { countDecision: () => undefined } as unknown as RulesEngineMetrics;
  const outbox = new DecisionOutbox(
    repository as unknown as TargetStateRepository,
    producer as unknown as SurgeProducer,
    { decisions: 'decisions', alerts: 'alerts', explanations: 'explanations' } as Topics,
    metrics,
    SurgeTracing.OFF,
  );
  commit = new StateCommit(repository as unknown as TargetStateRepository, outbox);
});

const decided = (id: string, target = 'shop/web') => ({
  id: target,
  state,
  watermarks: { [target]: { cpu_utilization: 1_000 } },
  decisions: [decision(id, target)],
});

describe('the decision outbox', () => {
  it('publishes once and leaves an empty outbox when nothing fails', async () => {
    await commit.commit([decided('d-1'), { id: 'shop/api', state, watermarks: undefined, decisions: [] }]);
    expect(producer.published).toEqual(['d-1']);
    expect(repository.outboxOf('shop/web')).toEqual([]);
    expect(repository.outboxOf('shop/api')).toEqual([]);
    await commit.loadMany([policy('shop/web'), policy('shop/api')]);
    expect(producer.published).toEqual(['d-1']);
  });

  it('keeps a decision whose publish failed with the state that made it, and replays the same id on load', async () => {
    producer.failNext = true;
    await expect(commit.commit([decided('d-1')])).rejects.toThrow('crash while publishing');
    expect(producer.published).toEqual([]);
    expect(repository.outboxOf('shop/web')).toEqual(['d-1']);
    expect(repository.stored('shop/web')!.state).toEqual(state);

    const [loaded] = await commit.loadMany([policy('shop/web')]);
    expect(producer.published).toEqual(['d-1']);
    // The batch's commit empties the outbox; nothing is published twice by the same run.
    await commit.commit([{ id: 'shop/web', state: loaded!.state, watermarks: loaded!.watermarks, decisions: [] }]);
    expect(repository.outboxOf('shop/web')).toEqual([]);
    await commit.loadMany([policy('shop/web')]);
    expect(producer.published).toEqual(['d-1']);
  });

  it('republishes the same id after a crash between the publish and the clearing write', async () => {
    repository.failSaveManyCall = 2;
    await expect(commit.commit([decided('d-1')])).rejects.toThrow('crash before the write');
    expect(producer.published).toEqual(['d-1']);
    expect(repository.outboxOf('shop/web')).toEqual(['d-1']);
    const stored = await commit.load(policy('shop/web'));
    expect(producer.published).toEqual(['d-1', 'd-1']);
    expect(stored.outbox).toEqual([]);
    expect(repository.outboxOf('shop/web')).toEqual([]);
  });

  it('publishes nothing and keeps the old state when the crash comes before the outbox is written', async () => {
    await repository.save('shop/web', { state: emptyState(1), outbox: [] });
    repository.failSaveManyCall = 1;
    await expect(commit.commit([decided('d-1')])).rejects.toThrow('crash before the write');
    expect(producer.published).toEqual([]);
    expect(repository.stored('shop/web')!.state).toEqual(emptyState(1));
  });

  it('keeps the outbox when its replay fails, and replays it on the next load', async () => {
    await repository.save('shop/web', { state, outbox: [{ kind: 'decision', event: decision('d-1', 'shop/web') }] });
    producer.failNext = true;
    await expect(commit.load(policy('shop/web'))).rejects.toThrow('crash while publishing');
    expect(repository.outboxOf('shop/web')).toEqual(['d-1']);
    await commit.load(policy('shop/web'));
    expect(producer.published).toEqual(['d-1']);
    expect(repository.outboxOf('shop/web')).toEqual([]);
  });

  it('keeps alerts and explanations with their state, publishes each on its topic keyed by target, replays them', async () => {
    const alert = {
      alertId: 'a-1',
      target: { id: 'shop/web', kind: 'Deployment' },
      status: 'firing',
      annotations: { summary: 'p1 on shop/web' },
    } as AlertEvent;
    const explanation = {
      explanationId: 'e-1',
      target: { id: 'shop/web', kind: 'Deployment' },
      summary: 'capped',
    } as ScaleExplanation;
    const alerting = {
      id: 'shop/web',
      state,
      watermarks: undefined,
      decisions: [],
      alerts: [alert],
      explanations: [explanation],
    };
    repository.failSaveManyCall = 2;
    await expect(commit.commit([alerting])).rejects.toThrow('crash before the write');
    expect(repository.outboxOf('shop/web')).toEqual(['a-1', 'e-1']);
    await commit.load(policy('shop/web'));
    expect(producer.sent).toEqual([
      ['alerts', 'shop/web', 'a-1'],
      ['explanations', 'shop/web', 'e-1'],
      ['alerts', 'shop/web', 'a-1'],
      ['explanations', 'shop/web', 'e-1'],
    ]);
    expect(repository.outboxOf('shop/web')).toEqual([]);
  });
});
