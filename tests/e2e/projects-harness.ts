/**
 * Driving the projects harness page (projects-harness.html) from e2e tests: open it, read the
 * open document's node ids, and make an edit that is saved at once.
 */
import { expect, inject } from 'vitest';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

/** Uncaught page errors, unhandled rejections and console errors of every watched tab, in order. */
const pageErrors: string[] = [];

/**
 * A new browser context whose every tab is watched: an uncaught exception or unhandled
 * rejection (Playwright's `pageerror`) or a console error is recorded, so a test can fail on it
 * (see `takePageErrors`), whatever the fault being tested.
 */
export async function watchedContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.on('page', (page: Page) => {
    page.on('pageerror', (err: Error) => pageErrors.push(`pageerror in ${page.url()}: ${err.message}`));
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') pageErrors.push(`console error in ${page.url()}: ${message.text()}`);
    });
  });
  return context;
}

/** The page errors recorded since the last call (and forgets them); an afterEach expects []. */
export function takePageErrors(): string[] {
  return pageErrors.splice(0);
}

/** The harness page's URL, with an optional query or fragment. */
export function harnessUrl(query = ''): string {
  return new URL(`projects-harness.html${query}`, inject('studioUrl')).href;
}

/** Opens the harness in a new tab of `context` and waits until its engine is up. */
export async function open(context: BrowserContext, url = harnessUrl()): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
  return page;
}

/** The node ids of the document the tab has open. */
export async function nodeIds(page: Page): Promise<string[]> {
  const doc: unknown = JSON.parse((await page.getByTestId('doc-json').textContent()) || '{}');
  if (typeof doc !== 'object' || doc === null || !('nodes' in doc) || !Array.isArray(doc.nodes)) return [];
  return doc.nodes.map((n: { id: string }) => n.id);
}

/**
 * Adds a node to the open document and saves at once. With `tolerateRejection` a save that
 * rejects (a fault being tested) is left to the page to report; otherwise the rejection fails the test.
 */
export async function editAndSave(page: Page, id: string, tolerateRejection = false): Promise<void> {
  await page.evaluate(
    async ({ nodeId, tolerate }) => {
      const hook = (globalThis as unknown as { insightProjects: { session: { document: { nodes: unknown[] } | null; onChange(d: unknown): void; save(): Promise<void> } } }).insightProjects;
      const doc = hook.session.document;
      if (!doc) throw new Error('no document');
      hook.session.onChange({ ...doc, nodes: [...doc.nodes, { id: nodeId, kind: 'segment', version: 1, params: {}, position: [0, 0], note: '' }] });
      const saving = hook.session.save();
      await (tolerate ? saving.catch(() => undefined) : saving);
    },
    { nodeId: id, tolerate: tolerateRejection },
  );
}
