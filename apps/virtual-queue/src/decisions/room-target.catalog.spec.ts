import { SCALE_DECISION_SCHEMA_VERSION, type ScaleDecision } from '@surge/contracts';
import { evaluateGuardrails } from '@surge/executor-core';
import { roomConfigSchema } from '@surge/queue-core';
import { describe, expect, it } from 'vitest';
import type { QueueRepository } from '../redis/queue.repository';
import { RoomTargetCatalog } from './room-target.catalog';

const room = (name: string, extra: object = {}) => ({ room: name, config: roomConfigSchema.parse(extra) });

function aDecision(overrides: Partial<ScaleDecision>): ScaleDecision {
  return {
    schemaVersion: SCALE_DECISION_SCHEMA_VERSION,
    decisionId: 'decision-1',
    target: { kind: 'VirtualQueue', id: 'virtual-queue/solo' },
    setting: 'maxActive',
    from: 1,
    to: 2,
    direction: 'up',
    severity: 'info',
    dryRun: false,
    policy: 'checkout-capacity',
    policyVersion: '1',
    eventTime: 1_000_000,
    explanation: {
      summary: 'test',
      trigger: { kind: 'metric', name: 'queue_waiting' },
      metrics: [],
      rules: [],
      constraints: [],
      final: 2,
      winner: 'test',
    },
    ...overrides,
  };
}

async function catalogOf(rooms: ReturnType<typeof room>[]): Promise<RoomTargetCatalog> {
  const catalog = new RoomTargetCatalog({ roomConfigs: async () => [...rooms] } as unknown as QueueRepository);
  await catalog.refresh();
  return catalog;
}

describe('RoomTargetCatalog', () => {
  it('knows a target per room target id, sharded rooms sharing one with bounds summed over them', async () => {
    const catalog = await catalogOf([
      room('big-0', { targetId: 'shop/big' }),
      room('big-1', { targetId: 'shop/big' }),
      room('solo'),
    ]);
    expect(catalog.all().map((t) => t.id)).toEqual(['shop/big', 'virtual-queue/solo']);
    expect(catalog.get('shop/big')?.bounds).toMatchObject({ maxActive: { min: 0, max: 20_000_000 }, mode: { max: 2 } });
    expect(catalog.get('solo')?.kind).toBe('VirtualQueue');
  });

  it.each([
    [
      'an unknown room',
      aDecision({ target: { kind: 'VirtualQueue', id: 'shop/ghost' } }),
      'no room has target id "shop/ghost"',
    ],
    [
      'a setting rooms do not have',
      aDecision({ setting: 'replicas' }),
      'setting replicas has no bounds for virtual-queue/solo',
    ],
    ['a mode code out of range', aDecision({ setting: 'mode', to: 5 }), 'value 5 is outside the hard bounds [0, 2]'],
  ])('rejects %s', async (_, decision, reason) => {
    const verdict = evaluateGuardrails(decision, await catalogOf([room('solo')]), { paused: false, dryRun: false });
    expect(verdict).toMatchObject({ verdict: 'rejected', reason });
  });

  it('sees a room created after boot once refreshed', async () => {
    const rooms = [room('a')];
    const catalog = await catalogOf(rooms);
    rooms.push(room('b'));
    expect(catalog.get('virtual-queue/b')).toBeUndefined();
    await catalog.refresh();
    expect(catalog.get('virtual-queue/b')?.id).toBe('virtual-queue/b');
  });
});
