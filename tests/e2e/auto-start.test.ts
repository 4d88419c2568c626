/**
 * The guided start in real Chromium: a data file dropped on an empty canvas opens one dialog
 * with the detected shape and a picker per role (the guess preselected, with its reason);
 * a pick rebuilds; one button builds the pipeline, binds the file and runs it to done.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';
import { cdnowLog } from '../../src/auto/variants.ts';

interface StudioState {
  doc: { nodes: { id: string; kind: string }[] };
  statuses: Record<string, { state: string }>;
}

async function state(page: Page): Promise<StudioState> {
  return page.evaluate(() => {
    const hook = (globalThis as unknown as { insightStudio?: { state(): StudioState } }).insightStudio;
    if (!hook) throw new Error('no insightStudio hook');
    return JSON.parse(JSON.stringify(hook.state())) as StudioState;
  });
}

/** A fresh page on an empty canvas (the default project answers 404). */
async function emptyStudio(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = collectErrors(page);
  await page.route('**/examples/customer-insight.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(inject('studioUrl'));
  await page.waitForFunction(() => /Compute: \w+/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? ''), null, { timeout: 120_000 });
  await page.waitForFunction(() => (document.querySelector('[data-testid="status"]')?.textContent ?? '').includes('The default project could not be opened'), null, { timeout: 120_000 });
  return { page, errors };
}

/** Drops a file named `name` holding `text` on the page. */
async function drop(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(([fileName, body]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([body ?? ''], fileName ?? 'file.csv', { type: 'text/csv' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [name, text]);
}

/** Waits until every node of the studio's document is done (or done with warnings). */
async function allDone(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const s = await state(page);
      return s.doc.nodes.length > 0 && s.doc.nodes.every((n) => ['done', 'warning'].includes(s.statuses[n.id]?.state ?? ''));
    }, { timeout: 240_000, interval: 2000 })
    .toBe(true);
}

describe('the guided start in the studio', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let csv = '';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auto-e2e-'));
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'insight.mjs');
    const gen = spawnSync(process.execPath, [bin, 'generate', '--customers', '200', '--seed', '5', '--out', dir], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(gen.stderr);
    csv = readFileSync(join(dir, 'transactions.csv'), 'utf8');
    browser = await launch();
    // An empty canvas: the default project is not there.
    ({ page, errors } = await emptyStudio(browser));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens one dialog with the shape and a picker per role, the guess preselected with its reason', async () => {
    await drop(page, 'shop.csv', csv);
    const dialog = page.getByTestId('auto-start');
    await expect.poll(() => dialog.isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('auto-shape').getAttribute('data-shape')).toBe('transactions');
    expect(await page.getByLabel('Customer id', { exact: true }).inputValue()).toBe('customer_id');
    expect(await page.getByLabel('Time', { exact: true }).inputValue()).toBe('timestamp');
    expect(await page.getByLabel('Unit price', { exact: true }).inputValue()).toBe('unit_price');
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('');
    expect(await dialog.locator('tr[data-role="customer"] td.why').textContent()).toMatch(/^95% · name "customer_id" reads as customer; repeats over rows/);
    expect(await page.getByTestId('auto-dates').textContent()).toMatch(/^Label: any purchase from \d{4}-\d\d-\d\d through \d{4}-\d\d-\d\d \(both included\)/);
  });

  it('rebuilds when a role is picked: the picked column is marked as chosen by you', async () => {
    await page.getByLabel('Product', { exact: true }).selectOption('');
    await expect.poll(() => page.getByLabel('Product', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Product', { exact: true }).selectOption('product_id');
    await expect.poll(() => page.locator('tr[data-role="product"] td.why').textContent()).toBe('100% · chosen by you');
  });

  it('builds the pipeline, binds the file and runs every node to done with one button', async () => {
    await page.getByRole('button', { name: 'Build and run' }).click();
    await expect.poll(async () => (await state(page)).doc.nodes.map((n) => n.kind).join(','), { timeout: 30_000 }).toBe('load,clean,sequence,lstm,classify,evaluate,sequence,lstm,features,normalise,weight,segment,rules,recommend,clv,cohorts,decide');
    await allDone(page);
    expect(await page.locator('[data-node-kind="decide"]').getAttribute('data-status')).toMatch(/done|warning/);
    // The only console error is the deliberate 404 of the default project.
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  });

  it('reads a dropped log without a header row and with YYYYMMDD whole numbers, and runs it to done', async () => {
    const fresh = await emptyStudio(browser);
    await drop(fresh.page, 'CDNOW_master.csv', new TextDecoder().decode(cdnowLog(csv, { padded: true })));
    await expect.poll(() => fresh.page.getByTestId('auto-start').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await fresh.page.getByTestId('auto-shape').getAttribute('data-shape')).toBe('transactions');
    expect(await fresh.page.getByLabel('Customer id', { exact: true }).inputValue()).toBe('col1');
    expect(await fresh.page.getByLabel('Time', { exact: true }).inputValue()).toBe('col2');
    expect(await fresh.page.getByLabel('Amount', { exact: true }).inputValue()).toBe('col4');
    expect(await fresh.page.locator('tr[data-role="time"] td.why').textContent()).toMatch(/YYYYMMDD dates written as whole numbers/);
    await fresh.page.getByRole('button', { name: 'Build and run' }).click();
    await expect.poll(async () => (await state(fresh.page)).doc.nodes.length, { timeout: 30_000 }).toBeGreaterThan(10);
    await allDone(fresh.page);
    expect(fresh.errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    await fresh.page.close();
  }, 480_000);
});
