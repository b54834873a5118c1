// The HTML report in a real browser (Debian's Chromium, headless): a mutant's run renders
// without a console error or any network request, shows its summary, matrices, the
// statechart marked with coverage and divergence, a card per divergence whose trace is
// drawn on the statechart, and no whole token. The screenshot is left for a person.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../engine.ts';
import { closeSharedDirectory, startEmbeddedTarget } from '../../targets/embedded.ts';
import { chromiumMissing, launchChromium, testOutputDir } from '../../testing/chromium.ts';
import type { CompletedDocument } from '../document.ts';
import { reportDocument } from '../json.ts';
import { writeReportDir } from '../write.ts';

describe.skipIf(chromiumMissing() !== null && !process.env.CI)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let doc: CompletedDocument;
  let file = '';
  let out = '';

  beforeAll(async () => {
    out = await testOutputDir('html-report');
    const result = await runConformance({ target: () => startEmbeddedTarget({ mutant: 'alg-none' }), seed: 7, runs: 10, counterexamplesDir: join(out, 'counterexamples') });
    doc = reportDocument(result, { startedAt: new Date().toISOString(), configFile: null, shard: null }) as CompletedDocument;
    await writeReportDir(out, doc);
    file = join(out, 'index.html');
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await closeSharedDirectory();
  });

  it('renders offline without errors: summary, matrices, marked statechart, divergence cards with their traces', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: join(out, 'index.png'), fullPage: true });

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.textContent('header .verdict')).toBe('FAIL');
    expect(await page.locator('.card').count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator('table.matrix').count()).toBe(2);
    expect(await page.locator('table.matrix td.cell.fail').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.statechart g.node.st-covered').count()).toBeGreaterThan(10);
    expect(await page.locator('svg.statechart g.node.st-diverged[data-name="alg-none"]').count()).toBe(1);

    const cards = page.locator('details.divergence');
    expect(await cards.count()).toBe(doc.divergences.length);
    // The first divergence's trace is drawn on load: its states and the edges between them.
    const first = doc.cases.find((c) => c.key === doc.divergences[0]!.key)!;
    expect(await page.locator('svg.statechart g.node.on-trace').count()).toBe(first.expected.trace.length + 1);
    expect(await page.locator('svg.statechart g.edge.on-trace').count()).toBe(first.expected.trace.length);
    await expect.poll(() => page.locator('details.divergence[open] pre.cmd').first().textContent()).toMatch(/^curl -i -N --http1\.1/);

    // Drawing another divergence's trace moves the highlight to it.
    const last = doc.divergences.length - 1;
    await page.locator(`#d${last}`).evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.locator(`#d${last} button.show-trace`).click();
    expect(await page.textContent('#trace-label')).toBe(`trace drawn: ${doc.divergences[last]!.key}`);
    expect(await page.locator('details.divergence.selected').count()).toBe(1);

    const text = await page.textContent('body');
    // The true cause: each card lists its replays with one fact set back to canonical.
    expect(text).toContain('cause with alg set back to allowed: observed accept as predicted');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./);
    expect(text).toContain('<token sha256:');
  }, 120_000);
});
