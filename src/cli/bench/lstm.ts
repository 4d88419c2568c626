/**
 * `npm run bench -- lstm [--json] [--node-only | --browser-only | --pool-only] [--gpu] [--quick] [--runs R] [--cold C]`
 *
 * First the LSTM node's wall time on 1 … cores + 1 lanes (./lstm-pool.ts), then (after the
 * Node wasm figures: the PyTorch CPU peer at the same shape, ./lstm-torch.ts):
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
import { FRACTION_GOAL_WASM, measureLstmBackend, type LstmBenchPlan } from './lstm-measure.ts';
import { measureTorch } from './lstm-torch.ts';
import { report, type BenchOptions, type BenchRecord } from './report.ts';

/** PyTorch on the CPU at the same shape, best of 1 and 2 threads, against the fast path's wasm figure. */
function torchPeer(wasm: BenchRecord, quick: boolean): BenchRecord {
  const fast = typeof wasm['fast_samples_per_s'] === 'number' ? wasm['fast_samples_per_s'] : Number.NaN;
  const matmul = wasm['fast_fraction_of_matmul512'] ?? null;
  const torch = measureTorch({ n: 1024, steps: 12, features: 8, units: 50, batch: 32, epochs: quick ? 1 : 3 });
  if ('note' in torch) return { suite: 'lstm', case: 'peer pytorch cpu', skipped: true, note: torch.note, fast_samples_per_s: fast };
  const best = torch.figures.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  const rounded = (v: number): number => Math.round(v * 10) / 10;
  return {
    suite: 'lstm',
    case: 'peer pytorch cpu',
    torch_version: torch.version,
    shape: '1024 x 12 x 8, 50 units, batch 32, Adam, BCE',
    ...Object.fromEntries(torch.figures.map((f) => [`torch_${f.threads}_thread_samples_per_s`, rounded(f.samplesPerSecond)])),
    torch_best_threads: best.threads,
    fast_wasm_samples_per_s: fast,
    fast_vs_torch_best: Math.round((fast / best.samplesPerSecond) * 1000) / 1000,
    fast_fraction_of_matmul512: matmul,
    goal_fast_vs_torch: 2.5,
    goal_fraction_of_matmul512: FRACTION_GOAL_WASM,
  };
}

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
    for (const record of await measurePool(log, argv)) report(record, options.json);
  }
  if (nodePart) {
    const plans: LstmBenchPlan[] = [
      { env: 'node', backend: 'wasm', n: 1024, testN: 512, epochs: quick ? 1 : 3, repeats: quick ? 1 : 3, includeTfjsOps: true, includeNativeGemm: true },
      { env: 'node', backend: 'cpu', n: 1024, testN: 512, epochs: quick ? 1 : 2, repeats: 1, includeTfjsOps: true, includeNativeGemm: true },
    ];
    for (const plan of plans) {
      const record = await measureLstmBackend(plan, log);
      report(record, options.json);
      // The PyTorch peer right after the wasm figures, in the same run.
      if (plan.backend === 'wasm') report(torchPeer(record, quick), options.json);
    }
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
