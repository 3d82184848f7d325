import { estimateWait, type RoomConfig } from '@surge/queue-core';
import type { TicketState } from '../redis/ticket-state';

/** What a visitor sees: the public answer of join, status, heartbeat and every SSE event. */
export interface TicketView {
  ticketId: string;
  room: string;
  status: 'waiting' | 'prequeue' | 'admitted';
  /** 1-based place in line; null in the pre-queue, before the opening shuffle. */
  position: number | null;
  ahead: number | null;
  etaSeconds: number | null;
  etaRange: { lowSeconds: number; highSeconds: number } | null;
  opensAt: number | null;
  token?: string;
  redirectUrl?: string | null;
  sessionEndsAt?: number;
}

export function ticketView(room: string, ticketId: string, state: TicketState, config: RoomConfig | null): TicketView {
  const status = state.state === 'admitted' ? 'admitted' : state.state === 'prequeue' ? 'prequeue' : 'waiting';
  const base: TicketView = {
    ticketId,
    room,
    status,
    position: state.ahead === null ? null : status === 'admitted' ? 0 : state.ahead + 1,
    ahead: status === 'admitted' ? 0 : state.ahead,
    etaSeconds: null,
    etaRange: null,
    opensAt: config?.opensAt ?? null,
  };
  if (status === 'admitted')
    return {
      ...base,
      etaSeconds: 0,
      redirectUrl: config?.redirectUrl ?? null,
      sessionEndsAt: state.sessionEndsAtMs ?? undefined,
    };
  const eta = estimateWait({
    ahead: state.ahead ?? 0,
    admitPerMinute: state.admitPerMinute,
    observedPerSecond: state.observedPerSecond,
    maxActive: state.maxActive,
    sessionSeconds: state.sessionSeconds,
  });
  if (!eta) return base;
  const untilOpen =
    status === 'prequeue' && config?.opensAt ? Math.max(0, Math.ceil((config.opensAt - Date.now()) / 1000)) : 0;
  return {
    ...base,
    etaSeconds: eta.etaSeconds + untilOpen,
    etaRange: { lowSeconds: eta.lowSeconds + untilOpen, highSeconds: eta.highSeconds + untilOpen },
  };
}
