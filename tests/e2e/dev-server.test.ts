/**
 * The README's first command: `npm run dev` serves the studio with the sample project open.
 * Starts Vite's dev server (without opening a browser) and checks the page in Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';

describe('the dev server (npm run dev)', () => {
  let server: ChildProcess;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', '5391', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('vite dev server did not start in 60 s')), 60_000);
      server.stdout?.on('data', (chunk: Buffer) => {
        // Strip ANSI colours before reading the address Vite prints.
        const found = /Local:\s+(http:\/\/\S+)/.exec(chunk.toString().replace(/\u001b\[[0-9;]*m/g, ''));
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      server.on('exit', (code) => reject(new Error(`vite exited with ${code}`)));
    });
    browser = await launch({ webgpu: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  it('opens the default project "Customer insight" with no console errors', async () => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(url);
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 120_000 }).toBe('Opened “Customer insight”.');
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/^Compute: \w+/);
    expect(await page.locator('[data-node-id]').count()).toBeGreaterThan(10);
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
