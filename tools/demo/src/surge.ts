import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { browseVisit } from './browse.visit';
import { buyerJourney } from './buyer.journey';
import { loadDemoConfig } from './demo.config';
import { DemoTally, type Outcome } from './demo.tally';
import { arrivalsBetween, flashSaleSchedule, phaseAt, totalDurationMs } from './flash-sale.schedule';
import { RequestGate } from './request.gate';
import { preflight } from './preflight';
import { openRoom } from './room.setup';

const TICK_MS = 100;
const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run demo:surge`: a flash sale against the running demo. Quiet browsing, then buyers rush in through the
 * waiting room and buy through the shop proxy, then the sale ends. Open-loop and bounded (concurrency, request
 * budget, waiting buyers), it stops by itself and exits 0 unless nothing at all could be bought.
 */
async function main(): Promise<void> {
  const config = loadDemoConfig();
  const schedule = flashSaleSchedule({
    scale: config.SURGE_DEMO_SCALE,
    peakBrowsePerSecond: config.SURGE_DEMO_PEAK_BROWSE_RPS,
    peakBuyersPerSecond: config.SURGE_DEMO_PEAK_BUYERS_PER_S,
  });
  const totalMs = totalDurationMs(schedule);
  const gate = new RequestGate(config.SURGE_DEMO_MAX_CONCURRENCY, config.SURGE_DEMO_MAX_REQUESTS);
  const tally = new DemoTally();
  const stop = new AbortController();
  const run = randomBytes(3).toString('hex');
  say(
    `surge demo ${run}: ${schedule.map((p) => `${p.name} ${p.durationMs / 1000}s`).join(' → ')} (scale ${config.SURGE_DEMO_SCALE}), shop ${config.SURGE_SHOP_URL}, queue ${config.SURGE_QUEUE_URL}`,
  );
  await preflight(config);
  say(await openRoom(config, config.SURGE_DEMO_ROOM_TARGET));
  process.once('SIGINT', () => {
    say('surge demo: interrupted, ending the sale now');
    stop.abort();
    gate.stop();
  });

  const journeys = new Set<Promise<void>>();
  let buyerSeq = 0;
  const startBuyer = () => {
    if (tally.buyers.waiting >= config.SURGE_DEMO_MAX_WAITING_BUYERS) return void (tally.buyers.turnedAway += 1);
    const journey = buyerJourney({ config, gate, tally, stop: stop.signal }, `demo-${run}-${++buyerSeq}`)
      .catch((error: Error): Outcome => (tally.error(error.message), 'failed'))
      .then((outcome) => void (tally.outcomes[outcome] += 1));
    journeys.add(journey);
    void journey.finally(() => journeys.delete(journey)).catch((error: Error) => tally.error(error.message));
  };

  const started = Date.now();
  let last = 0;
  let nextProgress = config.SURGE_DEMO_PROGRESS_S * 1000;
  while (!stop.signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    const now = Math.min(Date.now() - started, totalMs);
    for (let i = arrivalsBetween(schedule, 'browsePerSecond', last, now); i > 0; i--)
      void browseVisit(config, gate, tally).catch((error: Error) => tally.error(error.message));
    for (let i = arrivalsBetween(schedule, 'buyersPerSecond', last, now); i > 0; i--) startBuyer();
    last = now;
    const current = phaseAt(schedule, now);
    if (now >= nextProgress || !current) {
      nextProgress += config.SURGE_DEMO_PROGRESS_S * 1000;
      say(
        tally.line(
          now,
          current?.phase.name ?? 'over',
          { browse: current?.browsePerSecond ?? 0, buyers: current?.buyersPerSecond ?? 0 },
          gate.inFlight,
          gate.total,
        ),
      );
    }
    if (!current) break;
  }

  say(`surge demo: sale over; ${journeys.size} buyers still in line get ${config.SURGE_DEMO_GRACE_S}s to finish`);
  const grace = setTimeout(() => stop.abort(), config.SURGE_DEMO_GRACE_S * 1000);
  const progress = setInterval(
    () => say(tally.line(Date.now() - started, 'grace', { browse: 0, buyers: 0 }, gate.inFlight, gate.total)),
    config.SURGE_DEMO_PROGRESS_S * 1000,
  );
  while (journeys.size > 0) await Promise.race(journeys);
  clearTimeout(grace);
  clearInterval(progress);
  gate.stop();

  const o = tally.outcomes;
  say(
    `surge demo ${run} done in ${Math.round((Date.now() - started) / 1000)}s: ${gate.total} requests (at most ${gate.peak} at once); views ${tally.browse.ok} ok, ${tally.browse.failed} failed, ${tally.browse.shed} shed; ` +
      `buyers ${tally.buyers.joined} joined, ${tally.buyers.admitted} admitted, ${tally.buyers.turnedAway} turned away; ` +
      `seats reserved ${o.reserved}, sold out ${o['sold-out']}, refused ${o['not-admitted']}, gave up ${o['gave-up']}, failed ${o.failed}, over budget ${o.capped}`,
  );
  const summaryFile = config.SURGE_DEMO_SUMMARY_FILE;
  if (summaryFile) {
    const summary = {
      run,
      requests: gate.total,
      peakInFlight: gate.peak,
      browse: tally.browse,
      buyers: tally.buyers,
      outcomes: o,
    };
    writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  }
  process.exit(o.reserved > 0 || buyerSeq === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`surge demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
