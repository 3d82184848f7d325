import type { DemoConfig } from './demo.config';
import type { DemoTally, Outcome } from './demo.tally';
import { gatedFetch, type HttpAnswer, jsonPost } from './gated-http';
import type { RequestGate } from './request.gate';

export interface JourneyDeps {
  config: DemoConfig;
  gate: RequestGate;
  tally: DemoTally;
  /** Aborted when the demo's grace period is over: every journey still under way ends. */
  stop: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Polls less often the further back a buyer stands, as the waiting-room page does, yet well within the heartbeat timeout. */
function pollDelayMs(etaSeconds: unknown): number {
  const eta = typeof etaSeconds === 'number' ? etaSeconds : 4;
  return Math.min(5000, Math.max(1000, (eta * 1000) / 4));
}

/**
 * One buyer of the flash sale: join the waiting room, poll until admitted, buy a seat through the shop proxy with
 * the admission token, then leave the room so the slot frees at once rather than at the session's end.
 */
export async function buyerJourney(deps: JourneyDeps, visitorId: string): Promise<Outcome> {
  const { config, gate, tally, stop } = deps;
  const room = `${config.SURGE_QUEUE_URL}/v1/rooms/${config.SURGE_QUEUE_ROOM}`;
  const started = Date.now();
  const deadline = started + config.SURGE_DEMO_MAX_WAIT_S * 1000;

  let ticket: HttpAnswer | null = null;
  while (!ticket) {
    const joined = await gatedFetch(gate, `${room}/join`, jsonPost({ visitorId }), 'wait');
    if ('refused' in joined) return 'capped';
    if ('error' in joined) return fail(tally, `join: ${joined.error}`);
    if (joined.answer.status === 429 && Date.now() < deadline && !stop.aborted) {
      await sleep((joined.answer.retryAfterSeconds ?? 1) * 1000, stop);
      continue;
    }
    if (joined.answer.status !== 200)
      return fail(tally, `join ${joined.answer.status}: ${String(joined.answer.body['message'] ?? '')}`);
    ticket = joined.answer;
  }
  const ticketId = String(ticket.body['ticketId']);
  tally.buyers.joined += 1;
  tally.buyers.waiting += 1;
  let view = ticket.body;
  try {
    while (view['status'] !== 'admitted' || typeof view['token'] !== 'string') {
      if (stop.aborted || Date.now() >= deadline) {
        await gatedFetch(gate, `${room}/tickets/${ticketId}`, { method: 'DELETE' }, 'wait');
        return 'gave-up';
      }
      await sleep(pollDelayMs(view['etaSeconds']), stop);
      const polled = await gatedFetch(gate, `${room}/tickets/${ticketId}`, { method: 'GET' }, 'wait');
      if ('refused' in polled) return 'capped';
      if ('error' in polled) continue;
      if (polled.answer.status === 410) return 'not-admitted';
      if (polled.answer.status === 200) view = polled.answer.body;
    }
  } finally {
    tally.buyers.waiting -= 1;
  }
  tally.admittedAfter(Date.now() - started);

  const reserve = await gatedFetch(
    gate,
    `${config.SURGE_SHOP_URL}/reserve`,
    jsonPost({ eventId: config.SURGE_DEMO_EVENT_ID, visitorId, token: view['token'] }),
    'wait',
  );
  await gatedFetch(gate, `${room}/tickets/${ticketId}`, { method: 'DELETE' }, 'wait');
  if ('refused' in reserve) return 'capped';
  if ('error' in reserve) return fail(tally, `reserve: ${reserve.error}`);
  tally.shopLatency(reserve.answer.ms);
  if (reserve.answer.status === 201) return 'reserved';
  if (reserve.answer.status === 409 && reserve.answer.body['error'] === 'sold_out') return 'sold-out';
  if (reserve.answer.status === 403) return 'not-admitted';
  return fail(tally, `reserve ${reserve.answer.status}: ${String(reserve.answer.body['message'] ?? '')}`);
}

function fail(tally: DemoTally, message: string): Outcome {
  tally.error(message);
  return 'failed';
}
