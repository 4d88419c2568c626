import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';

describe('the studio shell in real Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch({ webgpu: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads from a sub-path with no console errors and the engine worker answers on webgpu', async () => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(inject('studioUrl'));
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    expect(await page.getByTestId('backend').textContent()).toBe('Compute: webgpu');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeTruthy();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('computes a matrix product correctly on the chosen backend in the worker', async () => {
    const page = await browser.newPage();
    await page.goto(inject('studioUrl'));
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    const result = await page.evaluate(async () => {
      const hook = (globalThis as unknown as { insightStudio?: { engine: { selfTest(): Promise<{ backend: string; product: number[] }> } } }).insightStudio;
      if (!hook) throw new Error('no insightStudio hook');
      return hook.engine.selfTest();
    });
    expect(result.backend).toBe('webgpu');
    expect(result.product.map((v) => Math.round(v * 1000) / 1000)).toEqual([58, 64, 139, 154]);
    await page.close();
  });
});
