import type { Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, for the browser tests. The background-networking flags matter: without them
 * Chromium keeps reaching for Google's hosts, which a closed network refuses many times a second.
 */
export async function launchHeadlessChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env['SURGE_CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
