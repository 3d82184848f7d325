import type { DemoConfig } from './demo.config';

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** Fails before the sale starts, with the fix, rather than printing thousands of failed requests. */
export async function preflight(config: DemoConfig): Promise<void> {
  const checks = [
    { what: 'the shop proxy', url: `${config.SURGE_SHOP_URL}/health/ready`, variable: 'SURGE_SHOP_URL' },
    { what: 'the virtual queue', url: `${config.SURGE_QUEUE_URL}/health/ready`, variable: 'SURGE_QUEUE_URL' },
  ];
  for (const check of checks) {
    if (!(await answers(check.url))) {
      throw new Error(
        `${check.what} is not ready at ${check.url}. Fix: start Surge with \`npm start\` first, or point ${check.variable} at it.`,
      );
    }
  }
}
