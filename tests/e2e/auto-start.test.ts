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
import { bankMarketing, cdnowLog, groceryReceipts } from '../../src/auto/variants.ts';

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

/** The decision table as the results panel shows it: its row count and the ids of its first rows. */
async function decisions(page: Page): Promise<{ rows: number; ids: string[] }> {
  await page.locator('[data-node-id="decide"]').click({ position: { x: 12, y: 10 } });
  await page.getByRole('tab', { name: /^actions/ }).click();
  const count = page.getByTestId('row-count').first();
  await expect.poll(() => count.textContent(), { timeout: 30_000 }).toMatch(/^[\d,]+ rows/);
  const rows = Number(/^([\d,]+) rows/.exec((await count.textContent()) ?? '')?.[1]?.replaceAll(',', '') ?? 'NaN');
  const table = page.getByTestId('data-table').first();
  await table.locator('tbody tr:not([aria-hidden])').first().waitFor({ timeout: 30_000 });
  const header = await table.locator('thead th[data-column]').evaluateAll((els) => els.map((e) => e.getAttribute('data-column') ?? ''));
  const at = header.indexOf('id');
  const ids = await table.locator('tbody tr:not([aria-hidden])').evaluateAll((trs, k) => trs.slice(0, 10).map((tr) => ([...tr.querySelectorAll('td:not(.rownum)')][k]?.textContent ?? '').trim()), at);
  return { rows, ids };
}

/** Drops `text` as `name` on a fresh empty canvas, accepts every guess, builds and runs to done, and reads the decision table. */
async function dropAndRun(browser: Browser, name: string, text: string, shape: string): Promise<{ page: Page; errors: string[]; table: { rows: number; ids: string[] } }> {
  const fresh = await emptyStudio(browser);
  await drop(fresh.page, name, text);
  await expect.poll(() => fresh.page.getByTestId('auto-start').isVisible(), { timeout: 60_000 }).toBe(true);
  expect(await fresh.page.getByTestId('auto-shape').getAttribute('data-shape')).toBe(shape);
  await fresh.page.getByRole('button', { name: 'Build and run' }).click();
  await expect.poll(async () => (await state(fresh.page)).doc.nodes.length, { timeout: 30_000 }).toBeGreaterThan(5);
  await allDone(fresh.page);
  return { ...fresh, table: await decisions(fresh.page) };
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
    await expect.poll(async () => (await state(page)).doc.nodes.map((n) => n.kind).join(','), { timeout: 30_000 }).toBe('load,clean,features,sequence,lstm,classify,classify,evaluate,sequence,lstm,features,normalise,weight,segment,rules,recommend,clv,cohorts,decide');
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

  it('reads a dropped whitespace-aligned log (CDNOW_master.txt), says the delimiter, runs it to done and decides for every customer', async () => {
    const log = new TextDecoder().decode(cdnowLog(csv, { aligned: true, padded: true }));
    const customers = new Set(log.trim().split('\n').map((l) => l.trim().split(/\s+/)[0])).size;
    const fresh = await emptyStudio(browser);
    await drop(fresh.page, 'CDNOW_master.txt', log);
    await expect.poll(() => fresh.page.getByTestId('auto-start').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await fresh.page.getByTestId('auto-shape').textContent()).toContain('fields are separated by runs of spaces or tabs');
    expect(await fresh.page.getByLabel('Customer id', { exact: true }).inputValue()).toBe('col1');
    await fresh.page.getByRole('button', { name: 'Build and run' }).click();
    await expect.poll(async () => (await state(fresh.page)).doc.nodes.length, { timeout: 30_000 }).toBeGreaterThan(10);
    await allDone(fresh.page);
    const table = await decisions(fresh.page);
    expect(table.rows).toBe(customers);
    for (const id of table.ids) expect(id).toMatch(/^\d{5}$/);
    expect(fresh.errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    await fresh.page.close();
  }, 480_000);

  it('runs a dropped grocery receipts table (day numbers, basket ids) to done and decides for every household', async () => {
    const receipts = new TextDecoder().decode(groceryReceipts(csv));
    const households = new Set(receipts.trim().split('\n').slice(1).map((l) => l.split(',')[0])).size;
    const run = await dropAndRun(browser, 'transaction_data.csv', receipts, 'transactions');
    expect(run.table.rows).toBe(households);
    expect(run.errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    await run.page.close();
  }, 480_000);

  it('runs a dropped semicolon-separated response table without ids to done and decides for every row', async () => {
    const run = await dropAndRun(browser, 'bank-full.csv', new TextDecoder().decode(bankMarketing(1200)), 'customers');
    expect(run.table.rows).toBe(1200);
    expect(run.errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
    await run.page.close();
  }, 480_000);
});
