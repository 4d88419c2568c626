/**
 * The Chromium half of the LSTM bench: bundles lstm-page.ts with esbuild, serves it from
 * http://localhost with the tfjs wasm binaries, and drives headless Chromium through
 * playwright-core. Flags select SwiftShader (default: emulated GPU, correctness only) or a
 * real GPU through Vulkan (scripts/bench-browser-gpu.sh).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { LstmBenchPlan } from './lstm-measure.ts';
import type { BenchRecord } from './report.ts';

/** Common flags for a quiet, reproducible headless Chromium. */
const BASE_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** WebGPU and WebGL on the CPU through SwiftShader (this machine has no GPU). */
export const SWIFTSHADER_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** WebGPU and WebGL on a real GPU through Vulkan. */
export const VULKAN_FLAGS = ['--enable-features=Vulkan', '--use-vulkan', '--enable-unsafe-webgpu', '--use-angle=vulkan', '--ignore-gpu-blocklist'];

/** How to run the browser part. */
export interface BrowserBenchOptions {
  /** Chromium executable. */
  executablePath: string;
  /** Extra flags (SwiftShader or Vulkan). */
  flags: string[];
  /** One plan per backend, measured in order in one page. */
  plans: LstmBenchPlan[];
  /** Overall time limit in milliseconds. */
  timeoutMs: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/** Result of the browser part: records plus per-backend failures. */
export interface BrowserBenchResult {
  /** One record per measured backend. */
  records: BenchRecord[];
  /** Backends that failed, with the page's message. */
  errors: { backend: string; message: string }[];
  /** The WebGPU adapter Chromium reported, for the log. */
  adapter: string;
}

/** Describes the WebGPU adapter the page gets, as a string. */
const ADAPTER_PROBE = `(async () => {
  if (!navigator.gpu) return 'navigator.gpu missing';
  const a = await navigator.gpu.requestAdapter();
  if (!a) return 'no WebGPU adapter';
  const i = a.info || {};
  return [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'adapter without info';
})()`;

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

function bundle(dir: string): void {
  const root = resolve(import.meta.dirname, '../../..');
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const entry = join(root, 'src', 'cli', 'bench', 'lstm-page.ts');
  const result = spawnSync(esbuild, [entry, '--bundle', '--format=esm', '--platform=browser', '--target=es2022', `--outfile=${join(dir, 'page.js')}`, '--log-level=warning'], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`esbuild failed: ${result.stderr || result.error?.message || 'unknown error'}`);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>LSTM bench</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>\n');
  mkdirSync(join(dir, 'wasm'));
  const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    copyFileSync(join(wasmDir, file), join(dir, 'wasm', file));
  }
}

function serve(dir: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolvePort({ server, port: address.port });
      else reject(new Error('static server has no port'));
    });
  });
}

/** Runs the plans in headless Chromium and returns what the page measured. */
export async function runBrowserBench(options: BrowserBenchOptions): Promise<BrowserBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'insight-lstm-bench-'));
  bundle(dir);
  const { server, port } = await serve(dir);
  const browser = await chromium.launch({ executablePath: options.executablePath, headless: true, args: [...BASE_FLAGS, ...options.flags] });
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') options.log(`[page] ${msg.text()}`);
    });
    const url = `http://localhost:${port}/?plans=${encodeURIComponent(JSON.stringify(options.plans))}`;
    await page.goto(url);
    // A string, not a function: tsx's transform would add helpers the page does not have.
    const adapter: unknown = await page.evaluate(ADAPTER_PROBE);
    const adapterText = typeof adapter === 'string' ? adapter : 'unknown';
    options.log(`chromium: WebGPU adapter: ${adapterText}`);
    let printed = 0;
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const state = await page.evaluate(() => window.__lstmBench ?? null);
      if (state) {
        for (const line of state.log.slice(printed)) options.log(line);
        printed = state.log.length;
        if (state.done) return { records: state.records, errors: state.errors, adapter: adapterText };
      }
      if (Date.now() > deadline) {
        return { records: state?.records ?? [], errors: [...(state?.errors ?? []), { backend: '(all)', message: `timed out after ${options.timeoutMs} ms` }], adapter: adapterText };
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
