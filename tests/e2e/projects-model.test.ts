import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';

// The user's file: the committed simulated shop's transactions (sample-data/customer-insight).
const transactions = readFileSync('sample-data/customer-insight/transactions.csv');

const pipeline: PipelineDocument = {
  format: 'insight-pipeline',
  version: 1,
  name: 'Purchase intent',
  description: '',
  seed: 7,
  nodes: [
    { id: 'load1', kind: 'load', version: 1, params: { source: 'file', format: 'csv' }, position: [0, 0], note: '' },
    {
      id: 'seq1',
      kind: 'sequence',
      version: 1,
      params: { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 12, cutoff: '2024-06-03', horizonEnd: '2024-07-01', positiveColumn: 'quantity' },
      position: [200, 0],
      note: '',
    },
    { id: 'lstm1', kind: 'lstm', version: 1, params: { units: 8, epochs: 8, folds: 2, patience: 0 }, position: [400, 0], note: '' },
    { id: 'eval1', kind: 'evaluate', version: 1, params: {}, position: [600, 0], note: '' },
  ],
  edges: [
    { from: ['load1', 'table'], to: ['seq1', 'table'] },
    { from: ['seq1', 'sequences'], to: ['lstm1', 'sequences'] },
    { from: ['lstm1', 'predictions'], to: ['eval1', 'predictions'] },
    { from: ['seq1', 'sequences'], to: ['eval1', 'sequences'] },
  ],
  notes: [],
};

function harnessUrl(suffix = ''): string {
  return new URL(`projects-harness.html?backend=wasm${suffix}`, inject('studioUrl')).href;
}

async function ready(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toBe('Compute: wasm');
}

interface RunReport {
  ok: boolean;
  executed: string[];
  states: Record<string, string>;
}

/** Clicks Run and waits for a new report; returns it with the metrics summaries. */
async function run(page: Page): Promise<{ report: RunReport; metrics: Record<string, Record<string, number | null>> }> {
  const before = await page.getByTestId('run-report').textContent();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => page.getByTestId('run-report').textContent(), { timeout: 180_000 }).not.toBe(before);
  await expect.poll(() => page.getByRole('button', { name: 'Run', exact: true }).isEnabled(), { timeout: 30_000 }).toBe(true);
  return {
    report: JSON.parse((await page.getByTestId('run-report').textContent()) ?? '{}'),
    metrics: JSON.parse((await page.getByTestId('metrics').textContent()) ?? '{}'),
  };
}

/** A new profile with the pipeline imported and the transactions uploaded. */
async function projectWithData(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(harnessUrl());
  await ready(page);
  await page.getByLabel('Project file to import').setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(pipeline)) });
  await expect.poll(() => page.getByTestId('doc-name').textContent()).toBe('Purchase intent');
  await page.getByLabel('Dataset file').setInputFiles({ name: 'transactions.csv', mimeType: 'text/csv', buffer: transactions });
  await expect.poll(() => page.getByTestId('bound-files').textContent()).toContain('transactions.csv');
  return { context, page };
}

describe('a trained pipeline lasts and travels (real Chromium, wasm)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('after a reload the dataset and the trained model are back: Run does not retrain and gives the same metrics', async () => {
    const { context, page } = await projectWithData(browser);
    const errors = collectErrors(page);
    const first = await run(page);
    expect(first.report.ok).toBe(true);
    expect(first.report.executed).toEqual(['load1', 'seq1', 'lstm1', 'eval1']);
    expect(first.metrics.eval1?.n).toBe(985);
    expect(JSON.parse((await page.getByTestId('kept-results').textContent()) ?? '[]')).toEqual(['lstm1']);

    await page.reload();
    await ready(page);
    await expect.poll(() => page.getByTestId('restored-results').textContent()).toBe('["lstm1"]');
    await expect.poll(() => page.getByTestId('bound-files').textContent()).toContain('transactions.csv');
    const second = await run(page);
    expect(second.report.ok).toBe(true);
    // The upload came back from IndexedDB and the model from the kept results: lstm1 did not run.
    expect(second.report.executed).toEqual(['load1', 'seq1', 'eval1']);
    expect(second.metrics).toEqual(first.metrics);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a share link with the data, opened in a fresh profile and run on wasm with the same seed, gives the same metrics', async () => {
    const sender = await projectWithData(browser);
    const sent = await run(sender.page);
    await sender.page.getByLabel(/Include the data in the link/).check();
    await sender.page.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => sender.page.getByTestId('share-note').textContent()).toMatch(/KB link, data included\.$/);
    const link = new URL(await sender.page.getByTestId('share-link').inputValue());
    expect(link.search).toBe('?backend=wasm');

    const receiver = await browser.newContext();
    const page = await receiver.newPage();
    await page.goto(link.href);
    await ready(page);
    await expect.poll(() => page.getByTestId('doc-name').textContent()).toBe('Purchase intent');
    expect(JSON.parse((await page.getByTestId('doc-json').textContent()) ?? '{}')).toEqual(pipeline);
    await expect.poll(() => page.getByTestId('bound-files').textContent()).toContain('transactions.csv');
    const received = await run(page);
    expect(received.report.executed).toEqual(['load1', 'seq1', 'lstm1', 'eval1']);
    expect(received.metrics).toEqual(sent.metrics);
    await receiver.close();
    await sender.context.close();
  });
});
