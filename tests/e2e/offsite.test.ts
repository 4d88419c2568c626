/**
 * Off-site fetches in real Chromium: the CSP lets a request leave the origin only to a site
 * the person allowed, and only from the fetch frame; the page and the workers reach their own
 * origin alone. Two extra localhost servers stand in for other sites: one the person allows,
 * one nobody allowed. The build, `vite preview` and the e2e static server send the same headers.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { launch } from './browser.ts';
import { encodeShareLink } from '../../src/share/link-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';

/** A stand-in for another site: serves one CSV to any origin and counts requests. */
async function otherSite(): Promise<{ origin: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/csv', 'access-control-allow-origin': '*' }).end('customer,amount\na,1\nb,2\nc,3\n');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://localhost:${port}`, requests, close: () => new Promise<void>((done) => server.close(() => done())) };
}

function harnessUrl(fragment = ''): string {
  return new URL(`projects-harness.html${fragment}`, inject('studioUrl')).href;
}

function remoteDoc(url: string): PipelineDocument {
  return {
    format: 'insight-pipeline',
    version: 1,
    name: 'Remote',
    description: '',
    seed: 1,
    nodes: [{ id: 'load1', kind: 'load', version: 1, params: { source: 'url', url }, position: [0, 0], note: '' }],
    edges: [],
    notes: [],
  };
}

/** Fetches from a context and says how it ended, with the CSP violations it raised. */
const tryFetch = async (url: string): Promise<string> => {
  const seen: string[] = [];
  const target = globalThis as unknown as { addEventListener(type: string, fn: (e: { effectiveDirective: string }) => void): void };
  target.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
  const outcome = await fetch(url).then(
    (r) => `status ${r.status}`,
    () => 'refused',
  );
  await new Promise((done) => setTimeout(done, 100));
  return `${outcome}${seen.length > 0 ? ` (csp ${[...new Set(seen)].join(',')})` : ''}`;
};

describe('off-site fetches under the CSP, in real Chromium', () => {
  let browser: Browser;
  let allowedSite: Awaited<ReturnType<typeof otherSite>>;
  let otherSiteNobodyAllowed: Awaited<ReturnType<typeof otherSite>>;
  beforeAll(async () => {
    browser = await launch();
    allowedSite = await otherSite();
    otherSiteNobodyAllowed = await otherSite();
  });
  afterAll(async () => {
    await browser?.close();
    await allowedSite?.close();
    await otherSiteNobodyAllowed?.close();
  });

  it('an allowed site is fetched through the fetch frame, whose CSP blocks every other site; the page and the worker reach only their own origin', async () => {
    const context = await browser.newContext();
    const page: Page = await context.newPage();
    await page.goto(harnessUrl((await encodeShareLink(remoteDoc(`${allowedSite.origin}/customers.csv`))).fragment));
    await expect.poll(() => page.locator('[data-fault="consent"]').count(), { timeout: 120_000 }).toBe(1);
    expect(allowedSite.requests).toEqual([]);
    await page.getByRole('button', { name: 'Allow fetching' }).click();
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('run-report').textContent(), { timeout: 60_000 }).toContain('"load1":"done"');
    expect(allowedSite.requests).toEqual(['/customers.csv']);

    const frame = page.frames().find((f: Frame) => f.url().includes('fetcher.html'));
    if (!frame) throw new Error('no fetch frame');
    expect(await frame.evaluate(() => [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.getAttribute('content')).pop())).toBe(`connect-src ${allowedSite.origin}`);
    // The frame's policy allows exactly the allowed site: not the other one, not even its own origin.
    expect(await frame.evaluate(tryFetch, `${otherSiteNobodyAllowed.origin}/x.csv`)).toBe('refused (csp connect-src)');
    expect(await frame.evaluate(tryFetch, `${allowedSite.origin}/again.csv`)).toBe('status 200');
    // The page and the engine worker cannot reach the allowed site either: only the frame can.
    expect(await page.evaluate(tryFetch, `${allowedSite.origin}/from-page.csv`)).toBe('refused (csp connect-src)');
    const engine = page.workers().find((w) => w.url().includes('engine.worker'));
    if (!engine) throw new Error('no engine worker');
    expect(await engine.evaluate(tryFetch, `${allowedSite.origin}/from-worker.csv`)).toBe('refused (csp connect-src)');
    expect(await engine.evaluate(tryFetch, new URL('favicon.svg', inject('studioUrl')).href)).toBe('status 200');
    expect(allowedSite.requests).toEqual(['/customers.csv', '/again.csv']);
    expect(otherSiteNobodyAllowed.requests).toEqual([]);
    await context.close();
  });

  it('a link naming a site nobody allowed, declined, fails the load node and requests nothing, and no fetch frame exists', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(harnessUrl((await encodeShareLink(remoteDoc(`${otherSiteNobodyAllowed.origin}/secret.csv`))).fragment));
    await expect.poll(() => page.locator('[data-fault="consent"]').count(), { timeout: 120_000 }).toBe(1);
    await page.getByRole('button', { name: 'Not now' }).click();
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('run-report').textContent(), { timeout: 60_000 }).toContain('"load1":"error"');
    expect(otherSiteNobodyAllowed.requests).toEqual([]);
    // No fetch frame exists until something is allowed.
    expect(page.frames().filter((f) => f.url().includes('fetcher.html'))).toEqual([]);
    await context.close();
  });

  it('the build, vite preview and the static server send the same headers for the page, the fetch frame and the worker', async () => {
    const worker = readdirSync('dist/assets').find((f) => f.startsWith('engine.worker') && f.endsWith('.js'));
    if (!worker) throw new Error('no engine worker in dist/assets');
    const server: PreviewServer = await preview({ preview: { port: 0, strictPort: false }, logLevel: 'silent' });
    try {
      const previewBase = server.resolvedUrls?.local[0] ?? '';
      const names = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'permissions-policy'];
      const pick = (h: Headers) => Object.fromEntries(names.map((n) => [n, h.get(n)]));
      for (const path of ['', 'fetcher.html', `assets/${worker}`]) {
        const fromStatic = pick((await fetch(new URL(path, inject('studioUrl')))).headers);
        const fromPreview = pick((await fetch(new URL(path, previewBase))).headers);
        expect({ path, headers: fromPreview }).toEqual({ path, headers: fromStatic });
        expect(fromStatic['content-security-policy']).toContain("frame-ancestors 'self'");
        expect(fromStatic['content-security-policy']).toContain(path.startsWith('assets/') ? "connect-src 'self';" : "connect-src 'self' https: http://localhost:* http://127.0.0.1:*;");
      }
    } finally {
      await server.close();
    }
  });
});
