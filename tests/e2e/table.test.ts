/**
 * The one table component, driven as a person would in real Chromium on a small pipeline (the
 * sample products file): virtualised rows, sort (numbers largest first), search, a column filter, resize by keyboard,
 * a cell's full text, copy, and CSV and Excel export of the rows the filters keep.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { launch } from './browser.ts';
import { encodeShareLink } from '../../src/share/link-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';

const csvPath = 'sample-data/customer-insight/products.csv';
const lines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
const rows = lines.slice(1).map((l) => l.split(','));
const doc: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'Table check', description: '', seed: 1, nodes: [{ id: 'products', kind: 'load', version: 1, params: { source: 'sample', sample: 'customer-insight/products.csv' }, position: [0, 0], note: '' }], edges: [], notes: [] };

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path ?? '');
}

describe('the table component on a loaded file', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the file, runs it and shows its table', async () => {
    await page.goto(`${inject('studioUrl')}${(await encodeShareLink(doc)).fragment}`);
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    await expect.poll(() => page.locator('[data-node-id="products"]').count(), { timeout: 60_000 }).toBe(1);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 120_000 }).toMatch(/^Run finished/);
    await page.locator('[data-node-id="products"]').click({ position: { x: 12, y: 10 } });
    await page.getByRole('tab', { name: /^table/ }).click();
    await expect.poll(() => page.getByTestId('row-count').textContent(), { timeout: 30_000 }).toBe(`${rows.length} rows × 4 columns`);
  }, 300_000);

  it('draws only the rows in view (virtualised)', async () => {
    const drawn = await page.locator('[data-testid="data-table"] tbody tr[aria-rowindex]').count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(rows.length);
  });

  it('sorts a number column largest first, then reversed, then not at all', async () => {
    const sort = page.getByTitle(/^Sort by price/);
    const firstPrice = async (): Promise<number> => Number(((await page.locator('[data-testid="data-table"] tbody tr[aria-rowindex]').first().locator('td').nth(4).getAttribute('title')) ?? '').replace(/,/g, ''));
    const prices = rows.map((r) => Number(r[3]));
    await sort.click();
    await expect.poll(firstPrice).toBe(Math.max(...prices));
    await sort.click();
    await expect.poll(firstPrice).toBe(Math.min(...prices));
    await sort.click();
    await expect.poll(firstPrice).toBe(prices[0]);
  });

  it('searches all columns and filters one by its values; CSV and Excel export what is kept', async () => {
    const nordic = rows.filter((r) => r.some((c) => c.toLowerCase().includes('nordic')));
    await page.getByPlaceholder('Search all columns…').fill('Nordic');
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe(`${nordic.length} of ${rows.length} rows × 4 columns`);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Filter category' }).click();
    await page.getByRole('group', { name: 'Filter category' }).getByLabel('Electronics').check();
    await page.getByRole('button', { name: 'Done' }).click();
    const electronics = rows.filter((r) => r[2] === 'Electronics');
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe(`${electronics.length} of ${rows.length} rows × 4 columns`);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /CSV$/ }).click()]);
    const text = (await saved(csv)).toString('utf8').trim().split(/\r?\n/);
    expect(text[0]).toBe(lines[0]);
    expect(text.length - 1).toBe(electronics.length);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Excel$/ }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await saved(xlsx)).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('row-count').textContent()).toBe(`${rows.length} rows × 4 columns`);
  });

  it('widens a column from the keyboard, shows a cell\'s full row, and copies that row', async () => {
    const resizer = page.getByRole('separator', { name: /^Resize column name/ });
    const before = Number(await resizer.getAttribute('aria-valuenow'));
    await resizer.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await resizer.getAttribute('aria-valuenow'))).toBe(before + 40);
    const cell = page.locator('[data-testid="data-table"] tbody tr[aria-rowindex]').first().locator('td').nth(2);
    const name = (await cell.getAttribute('title')) ?? '';
    await cell.click();
    await expect.poll(() => page.getByTestId('row-panel').textContent()).toContain(name);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`^product_id\\tname\\tcategory\\tprice\\n[^\\n]*\\t${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\t`));
  });
});
