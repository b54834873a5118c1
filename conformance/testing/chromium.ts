// Headless Chromium for the tests that render something in a real browser (the HTML
// report, the browser client). Debian's `chromium` package, not a browser build that
// playwright would download: CI has no network but apt (.ci/run installs it).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.WSAC_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a container without a user namespace and without network chatter. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Null when no Chromium is installed, so a test can say why it cannot run. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set WSAC_CHROMIUM)`;
}

export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Where tests leave screenshots and other artifacts for a person to look at. */
export async function testOutputDir(name: string): Promise<string> {
  const dir = resolve(process.env.WSAC_TEST_OUTPUT ?? 'test-output', name);
  await mkdir(dir, { recursive: true });
  return dir;
}
