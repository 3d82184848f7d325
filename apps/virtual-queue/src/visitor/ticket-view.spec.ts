import { describe, expect, it } from 'vitest';
import { mergeRoomConfig } from '@surge/queue-core';
import type { TicketState } from '../redis/ticket-state';
import { ticketView } from './ticket-view';

const state = (overrides: Partial<TicketState>): TicketState => ({
  state: 'waiting',
  ahead: 0,
  sessionEndsAtMs: null,
  admitPerMinute: 60,
  maxActive: 1000,
  sessionSeconds: 600,
  observedPerSecond: null,
  ...overrides,
});

describe('ticketView', () => {
  const config = mergeRoomConfig(null, { redirectUrl: 'https://shop.example/buy' });

  it.each([
    ['waiting', state({ ahead: 9 }), { status: 'waiting', position: 10, ahead: 9, etaSeconds: 9 }],
    [
      'admitted',
      state({ state: 'admitted', sessionEndsAtMs: 5000 }),
      {
        status: 'admitted',
        position: 0,
        ahead: 0,
        etaSeconds: 0,
        redirectUrl: 'https://shop.example/buy',
        sessionEndsAt: 5000,
      },
    ],
    ['pre-queue', state({ state: 'prequeue', ahead: null }), { status: 'prequeue', position: null, ahead: null }],
  ])('shows a %s ticket', (_name, input, expected) => {
    expect(ticketView('final', 'ticket-1', input, config)).toMatchObject(expected);
  });

  it('adds the time until opening to a pre-queued ETA', () => {
    const opening = mergeRoomConfig(null, { opensAt: Date.now() + 120_000 });
    const view = ticketView('final', 't', state({ state: 'prequeue', ahead: null }), opening);
    expect(view.etaSeconds).toBeGreaterThanOrEqual(119);
    expect(view.etaRange!.highSeconds).toBeGreaterThanOrEqual(view.etaSeconds!);
  });

  it('gives no ETA when nothing can be admitted', () => {
    expect(ticketView('final', 't', state({ ahead: 5, admitPerMinute: 0 }), config)).toMatchObject({
      etaSeconds: null,
      etaRange: null,
    });
  });
});
