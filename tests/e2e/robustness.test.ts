/**
 * Nothing lost, nothing unclear, in real Chromium on the projects harness: two tabs on one
 * project, a close right after an edit, full storage (a quota shim), a rejected link, and
 * consent before a load node fetches from another site.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { editAndSave, harnessUrl, nodeIds, open, takePageErrors, watchedContext } from './projects-harness.ts';
import { encodeShareLink } from '../../src/share/link-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';

/** Text of random printable characters (nothing for a compressor to find). */
function randomText(length: number): string {
  const codes = new Uint8Array(length);
  for (let i = 0; i < length; i++) codes[i] = 33 + Math.floor(Math.random() * 94);
  return Buffer.from(codes).toString('latin1');
}

/** A load node reading the file bound to it. */
function loadNode(): PipelineDocument['nodes'][number] {
  return { id: 'load1', kind: 'load', version: 1, params: { source: 'file' }, position: [0, 0], note: '' };
}

/** A segment node (any kind will do for storage). */
function segmentNode(id: string): PipelineDocument['nodes'][number] {
  return { id, kind: 'segment', version: 1, params: {}, position: [180, 0], note: '' };
}

/** The hooks the harness exposes (the session's calls used here). */
interface HarnessHook {
  insightProjects: { session: { document: object | null; current: { id: string; document: { nodes: { id: string }[] } } | null; onChange(d: unknown): void; save(): Promise<void>; open(id: string): Promise<boolean> } };
}

/** Replaces the open document's nodes and saves at once (the session reports a failed save itself); `reopen` shows the saved document in the harness. */
async function setDocument(page: Page, nodes: PipelineDocument['nodes'], reopen = false): Promise<void> {
  await page.evaluate(
    async ({ list, again }) => {
      const { session } = (globalThis as unknown as HarnessHook).insightProjects;
      const doc = session.document;
      if (!doc) throw new Error('no document');
      session.onChange({ ...doc, nodes: list });
      await session.save();
      if (again && session.current) await session.open(session.current.id);
    },
    { list: nodes, again: reopen },
  );
}

/** The node ids of the open project as last saved. */
async function savedNodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as HarnessHook).insightProjects.session.current?.document.nodes.map((n) => n.id) ?? []);
}

describe('robustness of projects in real Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  // Whatever a case provokes, no tab may throw an uncaught error or leave a rejection unhandled.
  afterEach(() => {
    expect(takePageErrors()).toEqual([]);
  });

  it("two tabs: a save based on a replaced version is refused and asks (never overwrites), and \"keep mine\" keeps both in the history", async () => {
    const context = await watchedContext(browser);
    const a = await open(context);
    await a.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => a.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    // Tab B hears no announcements, so only the version check inside the save transaction can catch it.
    const b = await context.newPage();
    await b.addInitScript(() => Reflect.deleteProperty(globalThis, 'BroadcastChannel'));
    await b.goto(harnessUrl());
    await expect.poll(() => b.getByTestId('doc-name').textContent(), { timeout: 120_000 }).toBe('Untitled pipeline');
    await editAndSave(a, 'fromA');
    await editAndSave(b, 'fromB');
    await expect.poll(() => b.locator('[data-fault="conflict"]').count()).toBe(1);
    expect(await b.getByTestId('fault-dialog').textContent()).toContain('Another tab saved version 2 of "Untitled pipeline"');
    expect(await b.getByTestId('save-status').textContent()).toBe('Not saved: another tab changed this project');
    // Nothing of B's landed: a third tab sees A's node only.
    const c = await open(context);
    await expect.poll(() => nodeIds(c)).toEqual(['fromA']);
    await b.getByRole('button', { name: 'Keep mine as a new version' }).click();
    await expect.poll(() => b.getByTestId('project-message').textContent()).toBe("Kept your edits as version 3; the other tab's work is version 2 in the history.");
    await c.reload();
    await expect.poll(() => nodeIds(c), { timeout: 20_000 }).toEqual(['fromB']);
    expect(await c.locator('[data-version]').count()).toBe(3);
    // A tab that hears the announcement and has no edits of its own shows the other tab's save.
    await editAndSave(c, 'fromC');
    await expect.poll(() => nodeIds(a), { timeout: 10_000 }).toEqual(['fromB', 'fromC']);
    await context.close();
  });

  it('an edit closed 20 ms later is in IndexedDB when the project is opened again', async () => {
    const context = await watchedContext(browser);
    const page = await open(context);
    await page.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    await page.getByRole('button', { name: 'Add segment node' }).click();
    await page.waitForTimeout(20);
    await page.close({ runBeforeUnload: true });
    const again = await open(context);
    await expect.poll(() => nodeIds(again)).toEqual(['seg1']);
    await context.close();
  });

  it('full storage: the status bar and a dialog say so, and a later successful save clears both', async () => {
    const context = await watchedContext(browser);
    const page = await open(context);
    await page.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    await page.evaluate(() => {
      const original = IDBObjectStore.prototype.add;
      const put = IDBObjectStore.prototype.put;
      Object.assign(globalThis, { restoreQuota: () => Object.assign(IDBObjectStore.prototype, { add: original, put }) });
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
        if (this.name === 'versions') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      };
    });
    await editAndSave(page, 'big1');
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Storage is full — not saved');
    await expect.poll(() => page.locator('[data-fault="storage-full"]').count()).toBe(1);
    expect(await page.getByTestId('fault-dialog').textContent()).toContain('Version 1 of "Untitled pipeline"');
    await page.getByTestId('fault-dialog').getByRole('button', { name: 'Close' }).click();
    await page.evaluate(() => (globalThis as unknown as { restoreQuota(): void }).restoreQuota());
    await editAndSave(page, 'big2');
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Saved as version 2');
    await expect.poll(() => page.getByText('Storage is full, so this change was not saved').count()).toBe(0);
    expect(await page.locator('[data-fault]').count()).toBe(0);
    await context.close();
  });

  it('a real QuotaExceededError (Chromium given a 3 MB quota): the status bar and a dialog say so, a file that does not fit leaves its node without a file (Run reads no older one), the last good save survives a reload, and a later save clears the fault', async () => {
    const context = await watchedContext(browser);
    // The quota is set before the page first opens the database: an open backing store keeps the room it saw when it opened.
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const origin = new URL(harnessUrl()).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 3 * 1048576 });
    await page.goto(harnessUrl());
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    await page.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    await setDocument(page, [loadNode()], true);
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Saved as version 2');
    await page.getByLabel('Dataset file').setInputFiles({ name: 'old.csv', mimeType: 'text/csv', buffer: Buffer.from('id,value\n1,10\n2,20\n') });
    await expect.poll(() => page.getByTestId('bound-files').textContent()).toContain('old.csv');
    await expect.poll(() => page.locator('[data-version]').count()).toBe(3);
    // Random text: IndexedDB compresses what it stores, so a repeated character would fit.
    const big = randomText(2 << 20);
    await setDocument(page, [loadNode(), { ...segmentNode('big1'), note: big }]);
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Storage is full — not saved');
    await expect.poll(() => page.locator('[data-fault="storage-full"]').count()).toBe(1);
    expect(await page.getByTestId('fault-dialog').textContent()).toMatch(/^Storage is full Storage is full, so this change was not saved\. Version 3 of "old", saved .* UTC, is intact\. Delete a project or export it to a file and delete it here\. Your edits stay on screen; the next save is tried after you free space or edit again\./);
    await page.getByTestId('fault-dialog').getByRole('button', { name: 'Close' }).click();
    // A 4 MB file that does not fit: the node does not go on reading old.csv.
    await page.getByLabel('Dataset file').setInputFiles({ name: 'new.csv', mimeType: 'text/csv', buffer: Buffer.from(`id,value\n${randomText(4 << 20)}\n`) });
    await expect.poll(() => page.locator('[data-fault="file-not-stored"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('fault-dialog').textContent()).toMatch(/"new\.csv" could not be stored.*Storage is full, so this change was not saved\..* Node load1 now has no file, so Run does not read an older one/);
    expect(await page.getByTestId('save-status').textContent()).toBe('Storage is full — file not stored');
    await expect.poll(() => page.getByTestId('bound-files').textContent()).not.toContain('.csv');
    await page.getByTestId('fault-dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('run-report').textContent(), { timeout: 60_000 }).toContain('"load1":"error"');
    // After a reload the last good save is there, whole: version 3, old.csv bound, no trace of what did not fit.
    await page.reload();
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    await expect.poll(() => nodeIds(page)).toEqual(['load1']);
    expect(await page.locator('[data-version]').count()).toBe(3);
    await expect.poll(() => page.getByTestId('bound-files').textContent()).toContain('old.csv');
    // Still full: the edit is refused again; with room again (the quota restored) the next save lands and clears the fault.
    await setDocument(page, [loadNode(), { ...segmentNode('big2'), note: big }]);
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Storage is full — not saved');
    await page.getByTestId('fault-dialog').getByRole('button', { name: 'Close' }).click();
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await editAndSave(page, 'seg3');
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Saved as version 4');
    expect(await page.getByText('Storage is full').count()).toBe(0);
    expect(await page.locator('[data-fault]').count()).toBe(0);
    expect(await savedNodeIds(page)).toEqual(['load1', 'big2', 'seg3']);
    await context.close();
  });

  it('a damaged link says why in a dialog and reopens the last project', async () => {
    const context = await watchedContext(browser);
    const page = await open(context);
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Add segment node' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved as version 2');
    const link = await encodeShareLink({ format: 'insight-pipeline', version: 1, name: 'x', description: '', seed: 1, nodes: [], edges: [], notes: [] });
    const damaged = await open(context, harnessUrl(link.fragment.slice(0, 30)));
    await expect.poll(() => damaged.locator('[data-fault="link"]').count()).toBe(1);
    expect(await damaged.getByTestId('fault-dialog').textContent()).toMatch(/This link is damaged: .* Your last project, "Untitled pipeline", is open instead\./);
    await expect.poll(() => nodeIds(damaged)).toEqual(['seg1']);
    await context.close();
  });

  it('a link whose load node names another site shows the URL and fetches nothing until allowed', async () => {
    const context = await watchedContext(browser);
    const offsite: string[] = [];
    const origin = new URL(harnessUrl()).origin;
    context.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url());
    });
    const doc: PipelineDocument = {
      format: 'insight-pipeline',
      version: 1,
      name: 'Remote',
      description: '',
      seed: 1,
      nodes: [{ id: 'load1', kind: 'load', version: 1, params: { source: 'url', url: 'https://data.example.invalid/customers.csv' }, position: [0, 0], note: '' }],
      edges: [],
      notes: [],
    };
    const link = await encodeShareLink(doc);
    const page = await open(context, harnessUrl(link.fragment));
    await expect.poll(() => page.locator('[data-fault="consent"]').count()).toBe(1);
    expect(await page.getByTestId('fault-dialog').textContent()).toContain('load1: https://data.example.invalid/customers.csv');
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('run-report').textContent(), { timeout: 60_000 }).toContain('"load1":"error"');
    expect(offsite).toEqual([]);
    await context.close();
  });
});
