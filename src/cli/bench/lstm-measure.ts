/**
 * The measurements of `npm run bench -- lstm`, shared by the Node run and the Chromium page:
 * on one backend, train tf.layers.lstm and the fast path on the same seeded data and
 * hyper-parameters, and report samples/s, their ratio, training GFLOP/s, the backend's
 * matmul GFLOP/s and the test AUC of both after the same epochs.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmForwardFlops } from '../../ml/lstm/flops.ts';
import { rocAuc } from '../../ml/lstm/metrics.ts';
import { fusedVariant } from '../../ml/lstm/gpu-kernels.ts';
import { createNativeKernels } from '../../ml/lstm/native-kernels.ts';
import { predictLstm } from '../../ml/lstm/predict.ts';
import { syntheticSequences } from '../../ml/lstm/synthetic.ts';
import { trainLstm } from '../../ml/lstm/train.ts';
import type { EngineName, LstmOptions, SequenceSet } from '../../ml/lstm/types.ts';
import { selectBackend } from '../../ml/tf-backend.ts';
import { fastVsLayersGradientGap } from './lstm-check.ts';
import type { BenchRecord } from './report.ts';

/** What one backend's measurement uses. */
export interface LstmBenchPlan {
  /** 'node' or 'chromium'. */
  env: string;
  /** tfjs backend. */
  backend: string;
  /** Training sequences. */
  n: number;
  /** Test sequences for the AUC. */
  testN: number;
  /** Epochs per timed run. */
  epochs: number;
  /** Timed runs per implementation (best kept); layers and fast alternate. */
  repeats: number;
  /** Also time the tfjs-ops fast path where the default fast engine is the native one. */
  includeTfjsOps: boolean;
  /** Time our own gemm at 512² (only meaningful where WebAssembly SIMD exists). */
  includeNativeGemm: boolean;
}

/** Fixed hyper-parameters of the benchmark (the figures). */
export const BENCH_SHAPE = { steps: 12, features: 8, units: 50, layers: 1, batchSize: 32 } as const;

/**
 * Issue #20's goal for the fast path on wasm: training GFLOP/s at least this fraction of the
 * backend's own 512² matmul GFLOP/s (the record's fraction_goal_met and the PyTorch peer row
 * both read it).
 */
export const FRACTION_GOAL_WASM = 0.75;

/** Data seeds: training and test sets never overlap. */
const TRAIN_SEED = 20240601;
const TEST_SEED = 20240602;

const now = (): number => performance.now();

/** GFLOP/s of tf.matMul on [m, k] × [k, n] on the active backend, timed for about `budgetMs`. */
export async function matmulGflops(m: number, k: number, n: number, budgetMs: number): Promise<number> {
  const a = tf.randomUniform([m, k], -1, 1, 'float32', 1);
  const b = tf.randomUniform([k, n], -1, 1, 'float32', 2);
  for (let i = 0; i < 3; i++) {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  }
  let reps = 0;
  const t0 = now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    const batch = Math.max(1, reps);
    for (let i = 0; i < batch; i++) {
      const c = tf.matMul(a, b);
      // Reading the last result waits for the queue on GPU backends.
      if (i === batch - 1) await c.data();
      c.dispose();
    }
    reps += batch;
    elapsed = now() - t0;
  }
  a.dispose();
  b.dispose();
  return (2 * m * k * n * reps) / (elapsed / 1000) / 1e9;
}

/** GFLOP/s of the native SIMD gemm at 512², for context next to the backend's matmul. */
export function nativeGemmGflops(budgetMs: number): number {
  const size = 512;
  const kernels = createNativeKernels(3 * size * size * 4);
  const mem = new Float32Array(kernels.memory.buffer);
  for (let i = 0; i < 2 * size * size; i++) mem[i] = Math.sin(i);
  const a = 0;
  const b = size * size * 4;
  const c = 2 * size * size * 4;
  const run = (): void => kernels.exports.gemm(size, size, size, a, size * 4, 4, b, size * 4, c, size * 4, 0, 0, 0);
  run();
  let reps = 0;
  const t0 = now();
  while (now() - t0 < budgetMs) {
    run();
    reps++;
  }
  return (2 * size ** 3 * reps) / ((now() - t0) / 1000) / 1e9;
}

interface TimedRun {
  samplesPerSecond: number;
  /** Samples per second of this process's CPU time (Node only): robust to other load on the machine. */
  samplesPerCpuSecond: number | null;
  auc: number;
  engine: EngineName;
}

/** This process's CPU time in ms, or null outside Node. */
function cpuMs(): number | null {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return null;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timeTraining(train: SequenceSet, test: SequenceSet, options: LstmOptions): Promise<TimedRun> {
  const c0 = cpuMs();
  const t0 = now();
  const model = await trainLstm(train, null, options);
  const seconds = (now() - t0) / 1000;
  const c1 = cpuMs();
  const probs = await predictLstm(model, test.x, test.n, test.steps, test.features);
  const samples = train.n * model.epochsRun;
  return {
    samplesPerSecond: samples / seconds,
    samplesPerCpuSecond: c0 === null || c1 === null ? null : samples / ((c1 - c0) / 1000),
    auc: rocAuc(probs, test.labels),
    engine: model.engine,
  };
}

function bestCpu(runs: TimedRun[]): number | null {
  const values = runs.map((r) => r.samplesPerCpuSecond).filter((v): v is number => v !== null);
  return values.length > 0 ? Math.max(...values) : null;
}

function best(runs: TimedRun[]): TimedRun {
  return runs.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Measures one backend and returns its record (goal fields say whether the goals were met). */
export async function measureLstmBackend(plan: LstmBenchPlan, log: (line: string) => void = () => {}): Promise<BenchRecord> {
  await selectBackend([plan.backend]);
  const { steps, features, units, layers, batchSize } = BENCH_SHAPE;
  const train = syntheticSequences({ n: plan.n, steps, features }, TRAIN_SEED);
  const test = syntheticSequences({ n: plan.testN, steps, features }, TEST_SEED);
  const options: LstmOptions = {
    units,
    layers,
    dropout: 0,
    epochs: plan.epochs,
    batchSize,
    learningRate: 0.005,
    patience: 0,
    classWeight: 'none',
    seed: 42,
    implementation: 'fast',
  };
  const gradientGap = await fastVsLayersGradientGap();
  // Warm-up (kernel compilation, JIT tiers) so that timed runs compare steady states.
  const warm = syntheticSequences({ n: 2 * batchSize, steps, features }, TRAIN_SEED + 1);
  for (const implementation of ['layers', 'fast'] as const) await trainLstm(warm, null, { ...options, epochs: 1, implementation });
  if (plan.includeTfjsOps) await trainLstm(warm, null, { ...options, epochs: 1, engine: 'tfjs-ops' });
  const layersRuns: TimedRun[] = [];
  const fastRuns: TimedRun[] = [];
  const opsRuns: TimedRun[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    layersRuns.push(await timeTraining(train, test, { ...options, implementation: 'layers' }));
    log(`${plan.env}-${plan.backend}: layers run ${r + 1}: ${layersRuns[r]?.samplesPerSecond.toFixed(0)} samples/s`);
    fastRuns.push(await timeTraining(train, test, options));
    log(`${plan.env}-${plan.backend}: fast (${fastRuns[r]?.engine}) run ${r + 1}: ${fastRuns[r]?.samplesPerSecond.toFixed(0)} samples/s`);
    if (plan.includeTfjsOps && fastRuns[r]?.engine !== 'tfjs-ops') {
      opsRuns.push(await timeTraining(train, test, { ...options, engine: 'tfjs-ops' }));
      log(`${plan.env}-${plan.backend}: fast (tfjs-ops) run ${r + 1}: ${opsRuns[r]?.samplesPerSecond.toFixed(0)} samples/s`);
    }
  }
  const lay = best(layersRuns);
  const fast = best(fastRuns);
  const ops = opsRuns.length > 0 ? best(opsRuns) : null;
  const matmul512 = await matmulGflops(512, 512, 512, 1500);
  const matmulModel = await matmulGflops(batchSize, units, 4 * units, 500);
  const forwardFlops = lstmForwardFlops(steps, features, units, layers);
  const trainGflops = (samplesPerSecond: number): number => (3 * forwardFlops * samplesPerSecond) / 1e9;
  const ratio = fast.samplesPerSecond / lay.samplesPerSecond;
  const cpuLayers = bestCpu(layersRuns);
  const cpuFast = bestCpu(fastRuns);
  const goalRatio = plan.env === 'node' && plan.backend === 'wasm' ? 10 : plan.env === 'chromium' && plan.backend === 'webgpu' ? 5 : null;
  const fraction = trainGflops(fast.samplesPerSecond) / matmul512;
  const goalFraction = plan.backend === 'wasm' ? FRACTION_GOAL_WASM : null;
  const nativeGemm = plan.includeNativeGemm ? nativeGemmGflops(1000) : null;
  const record: BenchRecord = {
    suite: 'lstm',
    case: `${plan.env}-${plan.backend}`,
    env: plan.env,
    backend: plan.backend,
    train_sequences: plan.n,
    test_sequences: plan.testN,
    steps,
    features,
    units,
    batch: batchSize,
    epochs: plan.epochs,
    repeats_best_of: plan.repeats,
    layers_samples_per_s: round(lay.samplesPerSecond, 1),
    fast_engine: fast.engine,
    tfjs_ops_variant: fusedVariant(),
    fast_samples_per_s: round(fast.samplesPerSecond, 1),
    ratio: round(ratio, 2),
    layers_samples_per_cpu_s: cpuLayers === null ? null : round(cpuLayers, 1),
    fast_samples_per_cpu_s: cpuFast === null ? null : round(cpuFast, 1),
    ratio_cpu_time: cpuLayers === null || cpuFast === null ? null : round(cpuFast / cpuLayers, 2),
    goal_ratio: goalRatio,
    ratio_goal_met: goalRatio === null ? null : ratio >= goalRatio,
    tfjs_ops_samples_per_s: ops ? round(ops.samplesPerSecond, 1) : null,
    tfjs_ops_ratio: ops ? round(ops.samplesPerSecond / lay.samplesPerSecond, 2) : null,
    forward_flops_per_sample: forwardFlops,
    train_gflops_fast: round(trainGflops(fast.samplesPerSecond), 3),
    train_gflops_layers: round(trainGflops(lay.samplesPerSecond), 3),
    matmul512_gflops: round(matmul512, 3),
    matmul_model_shape_gflops: round(matmulModel, 3),
    fast_fraction_of_matmul512: round(fraction, 3),
    goal_fraction_of_matmul512: goalFraction,
    fraction_goal_met: goalFraction === null ? null : fraction >= goalFraction,
    // The native engine does not run on the backend's kernels, so it is also set against its own gemm.
    native_gemm512_gflops: nativeGemm === null ? null : round(nativeGemm, 3),
    fast_fraction_of_native_gemm512: nativeGemm === null || fast.engine !== 'native-simd' ? null : round(trainGflops(fast.samplesPerSecond) / nativeGemm, 3),
    auc_layers: round(lay.auc, 4),
    auc_fast: round(fast.auc, 4),
    auc_tfjs_ops: ops ? round(ops.auc, 4) : null,
    auc_diff: round(Math.abs(fast.auc - lay.auc), 4),
    tfjs_ops_grad_max_abs_diff_vs_layers: Number(gradientGap.toPrecision(3)),
    auc_agree: Math.abs(fast.auc - lay.auc) <= 0.01,
  };
  return record;
}

/** State the Chromium bench page exposes to the driver. */
export interface BrowserBenchState {
  /** True when every backend has been measured (or the page failed). */
  done: boolean;
  /** Records measured so far. */
  records: BenchRecord[];
  /** Per-backend failures, e.g. a backend missing in this browser. */
  errors: { backend: string; message: string }[];
  /** Progress lines for the driver's log. */
  log: string[];
}

declare global {
  interface Window {
    /** Set by the LSTM bench page. */
    __lstmBench?: BrowserBenchState;
  }
}
