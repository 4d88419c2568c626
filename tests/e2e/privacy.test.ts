import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launch } from './browser.ts';

const csv = readFileSync('tests/fixtures/projects/telco-churn-40.csv');

interface Seen {
  url: string;
  method: string;
  body: string | null;
}

/** Records every request any page, worker or service worker of the context makes. */
function record(context: BrowserContext): Seen[] {
  const seen: Seen[] = [];
  context.on('request', (request: Request) => seen.push({ url: request.url(), method: request.method(), body: request.postData() }));
  return seen;
}

async function ready(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
}

describe('privacy and static hosting in real Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('load → run → save → share: every request stays on the origin and none carries data', async () => {
    const context = await browser.newContext();
    const seen = record(context);
    const studio = await context.newPage();
    await studio.goto(inject('studioUrl'));
    await ready(studio);
    await studio.getByRole('button', { name: 'Run', exact: true }).click();

    const page = await context.newPage();
    await page.goto(new URL('projects-harness.html', inject('studioUrl')).href);
    await ready(page);
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Add segment node' }).click();
    await page.getByLabel('Dataset file').setInputFiles({ name: 'telco-churn-40.csv', mimeType: 'text/csv', buffer: csv });
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved as version 3');
    await page.getByLabel(/Include the data in the link/).check();
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => page.getByTestId('share-link').inputValue()).toMatch(/#p=.*&d=/);
    await page.reload();
    await ready(page);

    const origin = new URL(inject('studioUrl')).origin;
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.filter((r) => new URL(r.url).origin !== origin)).toEqual([]);
    expect(seen.filter((r) => r.method !== 'GET' || r.body !== null)).toEqual([]);
    // The file's first customer id and the share fragment appear in no address.
    expect(seen.filter((r) => r.url.includes('7590-VHVEG') || r.url.includes('p=') || r.url.includes('#'))).toEqual([]);
    await context.close();
  });

  it('sends a CSP (header and meta) that blocks inline and foreign scripts', async () => {
    const context = await browser.newContext();
    const failed: string[] = [];
    context.on('requestfailed', (request: Request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
    const finished: string[] = [];
    context.on('requestfinished', (request: Request) => finished.push(request.url()));
    const page = await context.newPage();
    const response = await page.goto(inject('studioUrl'));
    await ready(page);
    const header = response?.headers()['content-security-policy'] ?? '';
    expect(header).toContain("script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'");
    expect(header).toContain("frame-ancestors 'self'");
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("script-src 'self' 'wasm-unsafe-eval';");
    const violations = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const found: string[] = [];
          // Both the header and the meta policy report each block; collect for a moment.
          document.addEventListener('securitypolicyviolation', (e) => found.push(`${e.effectiveDirective} ${e.blockedURI}`));
          setTimeout(() => resolve([...new Set(found)].sort()), 1500);
          const inline = document.createElement('script');
          inline.textContent = 'window.__inline = 1';
          document.body.append(inline);
          const foreign = document.createElement('script');
          foreign.src = 'https://example.com/steal.js';
          document.body.append(foreign);
        }),
    );
    expect(violations).toEqual(['script-src-elem https://example.com/steal.js', 'script-src-elem inline']);
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__inline)).toBeUndefined();
    // Chromium announces the foreign request, then the CSP stops it before it leaves.
    expect(finished.filter((url) => url.startsWith('https://example.com'))).toEqual([]);
    expect(failed.filter((line) => line.startsWith('https://example.com')).map((line) => /csp/i.test(line))).toEqual([true]);
    await context.close();
  });

  it('works offline after the first load (service worker), from the same sub-path', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(inject('studioUrl'));
    await ready(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The precache is complete once the worker is active; go offline and load again.
    await context.setOffline(true);
    await page.reload();
    await ready(page);
    expect(await page.getByTestId('backend').textContent()).toMatch(/^Compute: (webgpu|webgl|wasm|cpu)$/);
    const harness = await context.newPage();
    await harness.goto(new URL('projects-harness.html', inject('studioUrl')).href);
    await ready(harness);
    expect(await harness.getByRole('button', { name: 'New project' }).count()).toBe(1);
    await context.close();
  });
});
