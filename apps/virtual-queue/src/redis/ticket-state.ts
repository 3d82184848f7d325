/** A ticket's state as the Lua scripts report it, in TypeScript terms. */
export type TicketStateName =
  | 'waiting'
  | 'prequeue'
  | 'admitted'
  | 'gone'
  | 'expired'
  | 'unknown_room'
  | 'closed'
  | 'rate_limited'
  | 'challenge_required'
  | 'challenge_used';

export interface TicketState {
  state: TicketStateName;
  /** Waiting visitors ahead; null before the pre-queue is shuffled or when not waiting. */
  ahead: number | null;
  sessionEndsAtMs: number | null;
  admitPerMinute: number;
  maxActive: number;
  sessionSeconds: number;
  observedPerSecond: number | null;
  /** Seconds until the per-IP join window resets, when rate_limited. */
  retryAfterSeconds?: number;
}

export interface JoinLimit {
  ip: string;
  perWindow: number;
  windowSeconds: number;
}

/**
 * The join gate's part of a join: `required` when the room asks for a proof the request does not carry (a visitor
 * already in line keeps the place without one), else the verified challenge's nonce, spent in the same script as
 * the join, remembered until the challenge would have expired anyway.
 */
export type JoinGate = { kind: 'required' } | { kind: 'spend'; nonce: string; ttlMs: number };

export interface AdmitRound {
  admitted: number;
  sessionsReleased: number;
  active: number;
  waiting: number;
}

export type Reply = [string, number?, number?, string?, string?, string?, string?];

export function toState(reply: Reply): TicketState {
  const [state, ahead, ends, perMinute, maxActive, sessionSeconds, observed] = reply;
  return {
    state: state as TicketStateName,
    ahead: ahead === undefined || ahead < 0 ? null : ahead,
    sessionEndsAtMs: ends ? ends : null,
    admitPerMinute: Number(perMinute ?? 0),
    maxActive: Number(maxActive ?? 0),
    sessionSeconds: Number(sessionSeconds ?? 0),
    observedPerSecond: observed ? Number(observed) : null,
  };
}
