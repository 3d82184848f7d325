import type { DemoConfig } from './demo.config';
import type { DemoTally } from './demo.tally';
import { gatedFetch } from './gated-http';
import type { RequestGate } from './request.gate';

/** A page view of the event: it goes straight to the shop, as browsing does not need a place in line. */
export async function browseVisit(config: DemoConfig, gate: RequestGate, tally: DemoTally): Promise<void> {
  const result = await gatedFetch(
    gate,
    `${config.SURGE_SHOP_URL}/events/${config.SURGE_DEMO_EVENT_ID}`,
    { method: 'GET' },
    'shed',
  );
  if ('refused' in result) {
    if (result.refused === 'busy') tally.browse.shed += 1;
    return;
  }
  if ('error' in result) {
    tally.browse.failed += 1;
    tally.error(`view: ${result.error}`);
    return;
  }
  tally.shopLatency(result.answer.ms);
  if (result.answer.status === 200) tally.browse.ok += 1;
  else {
    tally.browse.failed += 1;
    tally.error(`view ${result.answer.status}`);
  }
}
