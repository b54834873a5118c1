// The shared launcher starts Debian's Chromium headless and a page runs script in it.
import { describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './chromium.ts';

describe('chromium launcher', () => {
  it.skipIf(chromiumMissing() !== null && !process.env.CI)('launches headless and evaluates script in a page', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x"></p><script>document.getElementById("x").textContent = String(6 * 7)</script>');
      expect(await page.textContent('#x')).toBe('42');
    } finally {
      await browser.close();
    }
  });
});
