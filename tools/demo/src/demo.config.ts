import path from 'node:path';
import { readEnvFile, repoRoot } from '@surge/harness';
import { envInt, loadConfig } from '@surge/config';
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().positive().default(fallback);

/** The load generator's knobs; every one is bounded so the demo cannot turn into a denial of service. */
export const demoEnvSchema = z.object({
  SURGE_DEMO_SCALE: positive(1).describe('Stretches the sale: 1 plays it in 2.5 minutes, 4 in 10'),
  SURGE_SHOP_URL: z.string().url().default('http://127.0.0.1:8070').describe('The shop, through the LocalPool proxy'),
  SURGE_QUEUE_URL: z.string().url().default('http://127.0.0.1:8090').describe('The virtual queue'),
  SURGE_QUEUE_ROOM: z.string().default('tickets').describe('Waiting room buyers join'),
  SURGE_ADMIN_TOKEN: z
    .string()
    .optional()
    .describe('When set, the room is opened (PUT /v1/admin/rooms/<room>) before the sale'),
  SURGE_DEMO_ROOM_MAX_ACTIVE: envInt(20, 1).describe('maxActive the room opens with; Surge scales it from there'),
  SURGE_DEMO_ROOM_TARGET: z
    .string()
    .min(1)
    .default('demo/tickets')
    .describe('Target id the room reports its queue under'),
  SURGE_DEMO_SUMMARY_FILE: z.string().optional().describe('Where to write the run summary as JSON (for tests and CI)'),
  SURGE_DEMO_EVENT_ID: z.string().default('flash-sale').describe('Event whose seats are sold'),
  SURGE_DEMO_PEAK_BROWSE_RPS: positive(120).describe('Page views per second at the peak, straight to the shop'),
  SURGE_DEMO_PEAK_BUYERS_PER_S: positive(15).describe('Buyers joining the waiting room per second at the peak'),
  SURGE_DEMO_MAX_CONCURRENCY: envInt(48, 1, 1000).describe('HTTP requests in flight at most'),
  SURGE_DEMO_MAX_REQUESTS: envInt(60_000, 1).describe('HTTP requests in all; the demo stops issuing any beyond'),
  SURGE_DEMO_MAX_WAITING_BUYERS: envInt(400, 1).describe('Buyers in the waiting room at once; later arrivals give up'),
  SURGE_DEMO_MAX_WAIT_S: envInt(90, 1).describe('A buyer leaves after waiting this long'),
  SURGE_DEMO_GRACE_S: envInt(20, 0).describe('After the sale, how long waiting buyers may still finish'),
  SURGE_DEMO_PROGRESS_S: envInt(5, 1).describe('Seconds between progress lines'),
});

export type DemoConfig = z.output<typeof demoEnvSchema>;

/** The environment, over the token and URLs of the `npm start` running on this machine, if any. */
function environmentWithStartSession(): NodeJS.ProcessEnv {
  return { ...readEnvFile(path.join(repoRoot(), '.surge', 'start.env')), ...process.env };
}

export function loadDemoConfig(env: NodeJS.ProcessEnv = environmentWithStartSession()): DemoConfig {
  return loadConfig('demo:surge', demoEnvSchema, env);
}
