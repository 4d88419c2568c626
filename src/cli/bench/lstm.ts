/**
 * `npm run bench -- lstm [--json] [--node-only | --browser-only | --pool-only] [--gpu] [--quick]`
 *
 * First the LSTM node's wall time on 1 … cores + 1 lanes (./lstm-pool.ts), then:
 *
 * For every backend available — Node: wasm, cpu; Chromium (playwright-core): webgpu, webgl,
 * wasm — trains tf.layers.lstm and the fast path on the same seeded data (1,024 × 12 × 8,
 * 50 units, batch 32) and reports, side by side from the same run: samples/s of both and
 * their ratio, training GFLOP/s (3 × forward FLOPs, formula in src/ml/lstm/flops.ts), the
 * backend's 512×512 matmul GFLOP/s and the test AUC of both after the same epochs.
 * Chromium uses SwiftShader here (emulated GPU) with fewer sequences on webgpu/webgl, as
 * each record's train_sequences says; --gpu switches to Vulkan flags for a real GPU.
 * Environment: INSIGHT_CHROMIUM (default /usr/bin/chromium), INSIGHT_CHROMIUM_FLAGS (extra).
 */
import { existsSync } from 'node:fs';
import { runBrowserBench, SWIFTSHADER_FLAGS, VULKAN_FLAGS } from './lstm-browser.ts';
import { measureLstmBackend, type LstmBenchPlan } from './lstm-measure.ts';
import { report, type BenchOptions } from './report.ts';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const argv = options.argv;
  const quick = argv.includes('--quick');
  const gpu = argv.includes('--gpu');
  const poolOnly = argv.includes('--pool-only');
  const nodePart = !argv.includes('--browser-only') && !poolOnly;
  const browserPart = !argv.includes('--node-only') && !poolOnly;
  if (!argv.includes('--browser-only')) {
    const { measurePool } = await import('./lstm-pool.ts');
    for (const record of await measurePool(log)) report(record, options.json);
  }
  if (nodePart) {
    const plans: LstmBenchPlan[] = [
      { env: 'node', backend: 'wasm', n: 1024, testN: 512, epochs: quick ? 1 : 3, repeats: quick ? 1 : 3, includeTfjsOps: true, includeNativeGemm: true },
      { env: 'node', backend: 'cpu', n: 1024, testN: 512, epochs: quick ? 1 : 2, repeats: 1, includeTfjsOps: true, includeNativeGemm: true },
    ];
    for (const plan of plans) report(await measureLstmBackend(plan, log), options.json);
  }
  if (browserPart) {
    const executablePath = process.env['INSIGHT_CHROMIUM'] ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      log(`lstm bench: no Chromium at ${executablePath}; browser part skipped (set INSIGHT_CHROMIUM).`);
      return;
    }
    // SwiftShader emulates the GPU on the CPU: fewer sequences keep the run in minutes.
    const emulated = !gpu;
    const plans: LstmBenchPlan[] = [
      { env: 'chromium', backend: 'webgpu', n: emulated ? 256 : 1024, testN: 512, epochs: quick ? 1 : 2, repeats: quick ? 1 : 2, includeTfjsOps: false, includeNativeGemm: false },
      { env: 'chromium', backend: 'webgl', n: emulated ? 512 : 1024, testN: 512, epochs: quick ? 1 : 2, repeats: quick ? 1 : 2, includeTfjsOps: false, includeNativeGemm: false },
      { env: 'chromium', backend: 'wasm', n: 1024, testN: 512, epochs: quick ? 1 : 3, repeats: quick ? 1 : 2, includeTfjsOps: true, includeNativeGemm: true },
    ];
    const extra = (process.env['INSIGHT_CHROMIUM_FLAGS'] ?? '').split(/\s+/).filter((f) => f.length > 0);
    const result = await runBrowserBench({
      executablePath,
      flags: [...(gpu ? VULKAN_FLAGS : SWIFTSHADER_FLAGS), ...extra],
      plans,
      timeoutMs: 20 * 60 * 1000,
      log,
    });
    for (const record of result.records) report({ ...record, gpu_flags: gpu ? 'vulkan' : 'swiftshader', webgpu_adapter: result.adapter }, options.json);
    for (const e of result.errors) log(`lstm bench: chromium ${e.backend} failed: ${e.message}`);
  }
}
