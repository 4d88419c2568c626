/**
 * Launches Debian's Chromium through playwright-core, headless, with the flags this machine
 * needs; `webgpu: true` adds SwiftShader WebGPU (slow but real — for correctness only).
 */
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Where Debian installs Chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const baseFlags = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];
const webgpuFlags = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** Starts Chromium. */
export async function launch(options: { webgpu?: boolean } = {}): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}; install it with: apt-get install -y chromium`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...baseFlags, ...(options.webgpu ? webgpuFlags : [])] });
}

/** Collects console errors and page errors of a page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err: Error) => errors.push(`pageerror: ${err.message}`));
  return errors;
}
