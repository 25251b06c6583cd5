// Debian's Chromium for the browser tests (.ci/run installs it). Missing: a failure in CI, a skip elsewhere.
// The flags keep it off the network this machine does not have (background fetches, updates, sync, QUIC).

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the browser cases can run; throws in CI when they cannot, warns (naming `what` is skipped) else. */
export function chromiumAvailable(what: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs chromium`);
  if (!available) console.warn(`${what} skipped: no ${CHROMIUM} (apt-get install chromium)`);
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
