/**
 * The studio shell in real Chromium with WebGPU forced (`?backend=webgpu`, SwiftShader here):
 * the one browser test that keeps the WebGPU path tested — the engine worker answers on
 * webgpu, computes a matrix product, and trains the default project's LSTM on webgpu (its
 * pool workers too). The other browser tests take the measured choice.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';

function forcedWebGpuUrl(): string {
  const url = new URL(inject('studioUrl'));
  url.searchParams.set('backend', 'webgpu');
  return url.href;
}

describe('the studio shell in real Chromium with ?backend=webgpu', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launch({ webgpu: true });
    page = await browser.newPage();
    errors = collectErrors(page);
    await page.goto(forcedWebGpuUrl());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads from a sub-path with no console errors and the engine worker answers on webgpu', async () => {
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    expect(await page.getByTestId('backend').textContent()).toBe('Compute: webgpu');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeTruthy();
    expect(errors).toEqual([]);
  });

  it('computes a matrix product correctly on the chosen backend in the worker', async () => {
    const result = await page.evaluate(async () => {
      const hook = (globalThis as unknown as { insightStudio?: { engine: { selfTest(): Promise<{ backend: string; product: number[] }> } } }).insightStudio;
      if (!hook) throw new Error('no insightStudio hook');
      return hook.engine.selfTest();
    });
    expect(result.backend).toBe('webgpu');
    expect(result.product.map((v) => Math.round(v * 1000) / 1000)).toEqual([58, 64, 139, 154]);
  });

  it('trains the LSTM on webgpu when forced (2 folds + final model, 1 epoch), in the engine worker and its pool', async () => {
    const doc = JSON.parse(readFileSync('public/examples/customer-insight.json', 'utf8')) as PipelineDocument;
    const small: PipelineDocument = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'lstm' ? { ...n, params: { ...n.params, epochs: 1, folds: 2 } } : n)) };
    const report = await page.evaluate(async (d) => {
      const hook = (globalThis as unknown as { insightStudio?: { engine: { run(doc: unknown, options: { targets: string[] }): Promise<{ statuses: Record<string, { state: string; summary: string; issues: unknown[] }> }> } } }).insightStudio;
      if (!hook) throw new Error('no insightStudio hook');
      return hook.engine.run(d, { targets: ['lstm'] });
    }, small);
    const lstm = report.statuses['lstm'];
    expect(lstm?.issues).toEqual([]);
    expect(lstm?.state).toBe('done');
    expect(lstm?.summary).toMatch(/^AUC 0\.\d{3} · webgpu \(forced\)$/);
  }, 600_000);
});
