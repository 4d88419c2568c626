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
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    errors = collectErrors(page);
    // An empty canvas: the default project is not there.
    await page.route('**/examples/customer-insight.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
    await page.goto(inject('studioUrl'));
    await page.waitForFunction(() => /Compute: \w+/.test(document.querySelector('[data-testid="backend"]')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid="status"]')?.textContent ?? '').includes('The default project could not be opened'), null, { timeout: 120_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens one dialog with the shape and a picker per role, the guess preselected with its reason', async () => {
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'shop.csv', { type: 'text/csv' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, csv);
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
    await expect.poll(async () => (await state(page)).doc.nodes.map((n) => n.kind).join(','), { timeout: 30_000 }).toBe('load,clean,sequence,lstm,evaluate,sequence,lstm,features,normalise,weight,segment,recommend,decide');
    await expect
      .poll(async () => {
        const s = await state(page);
        return s.doc.nodes.every((n) => ['done', 'warning'].includes(s.statuses[n.id]?.state ?? ''));
      }, { timeout: 220_000, interval: 2000 })
      .toBe(true);
    expect(await page.locator('[data-node-kind="decide"]').getAttribute('data-status')).toMatch(/done|warning/);
    // The only console error is the deliberate 404 of the default project.
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  });
});
