/**
 * A fresh adversarial pass in real Chromium on the projects harness: closing the tab 0, 50 and
 * 100 ms after an edit, two tabs saving the same project at the same moment, a transaction
 * that aborts at commit (how a full disk shows itself) and share links altered in the middle.
 * Nothing may be lost or half-written, and every fault is said where the person looks.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { editAndSave, harnessUrl, nodeIds, open, takePageErrors, watchedContext } from './projects-harness.ts';
import { encodeShareLink } from '../../src/share/link-codec.ts';

/** Every stored version of every project: [n, node ids] in order, read straight from IndexedDB. */
async function storedVersions(page: Page): Promise<{ head: number[]; versions: [number, string[]][] }> {
  return page.evaluate(
    () =>
      new Promise<{ head: number[]; versions: [number, string[]][] }>((resolve, reject) => {
        const request = indexedDB.open('insight-studio');
        request.onerror = () => reject(new Error('cannot open the database'));
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['projects', 'versions'], 'readonly');
          const projects = tx.objectStore('projects').getAll();
          const versions = tx.objectStore('versions').getAll();
          tx.oncomplete = () => {
            const head = (projects.result as { head: number; deletedAt: number | null }[]).filter((p) => p.deletedAt === null).map((p) => p.head);
            const list = (versions.result as { n: number; document: { nodes: { id: string }[] } }[]).map((v): [number, string[]] => [v.n, v.document.nodes.map((n) => n.id)]);
            db.close();
            resolve({ head, versions: list.sort((x, y) => x[0] - y[0]) });
          };
        };
      }),
  );
}

describe('adversarial projects in real Chromium', () => {
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

  it.each([0, 50, 100])('an edit closed %i ms later is in IndexedDB when the project is opened again', async (ms) => {
    const context = await watchedContext(browser);
    const page = await open(context);
    await page.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    await page.getByRole('button', { name: 'Add segment node' }).click();
    if (ms > 0) await page.waitForTimeout(ms);
    await page.close({ runBeforeUnload: true });
    const again = await open(context);
    await expect.poll(() => nodeIds(again)).toEqual(['seg1']);
    const stored = await storedVersions(again);
    expect(stored.versions.map(([, ids]) => ids)).toEqual([[], ['seg1']]);
    expect(stored.head).toEqual([2]);
    await context.close();
  });

  it('two tabs saving the same project at the same moment: one lands and the other asks, and "keep mine" keeps both (or, when one tab saw the other\'s save before its edit, its edit builds on it); nothing is lost', async () => {
    const context = await watchedContext(browser);
    const a = await open(context);
    await a.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => a.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    const b = await open(context);
    await expect.poll(() => b.getByTestId('doc-name').textContent()).toBe('Untitled pipeline');
    await Promise.all([editAndSave(a, 'fromA', true), editAndSave(b, 'fromB', true)]);
    const conflicted = async () => [await a.locator('[data-fault="conflict"]').count(), await b.locator('[data-fault="conflict"]').count()];
    // Under load one tab may hear the other's save before its own edit: then it shows that version and edits on top of it.
    const settled = async (): Promise<string> => {
      const conflicts = (await conflicted()).reduce((x, y) => x + y, 0);
      const stored = (await storedVersions(a)).versions;
      return conflicts > 0 ? `conflicts ${conflicts}` : stored.length === 3 ? 'built on' : 'pending';
    };
    await expect.poll(settled, { timeout: 10_000 }).not.toBe('pending');
    if ((await settled()) === 'built on') {
      const stored = (await storedVersions(a)).versions;
      const first = stored[1]?.[1][0] ?? '';
      expect(['fromA', 'fromB']).toContain(first);
      expect(stored).toEqual([
        [1, []],
        [2, [first]],
        [3, [first, first === 'fromA' ? 'fromB' : 'fromA']],
      ]);
      await context.close();
      return;
    }
    expect(await settled()).toBe('conflicts 1');
    const [inA] = await conflicted();
    const loser = inA === 1 ? a : b;
    const winner = loser === a ? b : a;
    const [lost, won] = loser === a ? ['fromA', 'fromB'] : ['fromB', 'fromA'];
    expect((await storedVersions(winner)).versions).toEqual([
      [1, []],
      [2, [won]],
    ]);
    await loser.getByRole('button', { name: 'Keep mine as a new version' }).click();
    await expect.poll(() => loser.getByTestId('project-message').textContent()).toBe("Kept your edits as version 3; the other tab's work is version 2 in the history.");
    expect((await storedVersions(winner)).versions).toEqual([
      [1, []],
      [2, [won]],
      [3, [lost]],
    ]);
    // The tab without edits of its own shows the kept version.
    await expect.poll(() => nodeIds(winner), { timeout: 10_000 }).toEqual([lost]);
    await context.close();
  });

  it('a save whose transaction aborts at commit leaves the stored project as it was, says so, and the next save is version 2', async () => {
    const context = await watchedContext(browser);
    const page = await open(context);
    await page.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved as version 1');
    await page.evaluate(() => {
      const original = IDBObjectStore.prototype.add;
      Object.assign(globalThis, { restoreAdd: () => Object.assign(IDBObjectStore.prototype, { add: original }) });
      // The writes are issued and succeed; the transaction then aborts, as a full disk does at commit.
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
        const request = original.apply(this, args);
        if (this.name === 'versions') request.addEventListener('success', () => this.transaction.abort());
        return request;
      };
    });
    await editAndSave(page, 'lost1', true);
    await expect.poll(() => page.locator('[data-fault="storage-failed"], [data-fault="storage-full"]').count()).toBe(1);
    expect(await page.getByTestId('save-status').textContent()).not.toMatch(/^Saved/);
    expect(await storedVersions(page)).toEqual({ head: [1], versions: [[1, []]] });
    await page.evaluate(() => (globalThis as unknown as { restoreAdd(): void }).restoreAdd());
    await page.getByTestId('fault-dialog').getByRole('button', { name: 'Close' }).click();
    await editAndSave(page, 'kept1', true);
    await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('Saved as version 2');
    expect((await storedVersions(page)).versions).toEqual([
      [1, []],
      [2, ['lost1', 'kept1']],
    ]);
    await context.close();
  });

  it('links altered in the middle (a changed character, a cut, a doubled part) each say why and reopen the last project', async () => {
    const context = await watchedContext(browser);
    const page = await open(context);
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Add segment node' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved as version 2');
    const link = (await encodeShareLink({ format: 'insight-pipeline', version: 1, name: 'Shared', description: '', seed: 42, nodes: [], edges: [], notes: [] })).fragment;
    const middle = Math.floor(link.length / 2);
    const flipped = `${link.slice(0, middle)}${link[middle] === 'A' ? 'B' : 'A'}${link.slice(middle + 1)}`;
    for (const [fragment, says] of [
      [flipped, /This link is damaged: its checksum does not match/],
      [link.slice(0, middle), /This link is damaged: /],
      [`${link}&p=${link.slice(3)}`, /This link is damaged: a part appears twice\./],
    ] as const) {
      const tab = await open(context, harnessUrl(fragment));
      await expect.poll(() => tab.locator('[data-fault="link"]').count()).toBe(1);
      expect(await tab.getByTestId('fault-dialog').textContent()).toMatch(says);
      await expect.poll(() => nodeIds(tab)).toEqual(['seg1']);
      await tab.close();
    }
    await context.close();
  });
});
