/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017) for the LSTM's purchase probability:
 *   IG_td(x) = (x_td − x'_td) · ∫₀¹ ∂f(x' + α(x − x'))/∂x_td dα,
 * with f = σ(logit) the model's probability, x' a stated baseline sequence and the integral
 * taken by Gauss–Legendre quadrature over `steps` points (exact for polynomials of degree
 * 2·steps − 1 in α; on these smooth paths it closes the completeness gap far faster than the
 * Riemann sums of the paper: measured on a trained model, 32 midpoint steps left a worst gap
 * of 5.4%, the same number of Gauss–Legendre points under 1%). Completeness says Σ_td IG_td = f(x) − f(x');
 * each customer's relative gap is reported so a caller can show (and tests can check) it.
 *
 * The gradient comes from the same hand-written backward pass through time that trains the
 * model on the active backend: the native WebAssembly kernels on wasm and cpu (native-engine.ts,
 * with its input gradient), the fast path's tfjs layer (tfjs-fast.ts `lstmLayer`) elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoid } from './engine.ts';
import { abortError, LstmInputError } from './errors.ts';
import { NativeLstm } from './native-engine.ts';
import { lstmLayer } from './tfjs-fast.ts';
import { chooseEngine } from './lane.ts';
import type { EngineName, LstmWeights } from './types.ts';

/** Options of an integrated-gradients pass. */
export interface IntegratedGradientsOptions {
  /** Quadrature points along the path from the baseline to the input (≥ 1). */
  steps: number;
  /** The baseline sequence x' [steps × features], row-major, shared by every customer. */
  baseline: Float32Array;
  /** Interpolated sequences per batch (memory bound); default 2,048. */
  batchRows?: number;
  /** Kernel override (tests): 'native-simd' or 'tfjs-ops'; default what training uses on this backend. */
  engine?: Exclude<EngineName, 'tfjs-layers'>;
  /** Cancels between batches. */
  signal?: AbortSignal;
  /** Called with the share of customers done. */
  onProgress?: (fraction: number) => void;
}

/** Attributions of n customers and the figures of the completeness check. */
export interface IntegratedGradients {
  /** Attribution per customer, step and feature [n × T × D], in probability units. */
  attributions: Float32Array;
  /** f(x): each customer's probability. */
  scores: Float32Array;
  /** f(x'): the baseline's probability. */
  baselineScore: number;
  /** |Σ IG − (f(x) − f(x'))| per customer, in probability units. */
  gap: Float32Array;
}

/** Gauss–Legendre nodes and weights on [0, 1] with m points (Newton on the Legendre recurrence). */
export function gaussLegendre(m: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(m);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = 0;
      for (let j = 1; j <= m; j++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j;
      }
      dp = (m * (z * p0 - p1)) / (z * z - 1);
      const step = p0 / dp;
      z -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    // Map the node z in [−1, 1] to α = (1 − z)/2 in [0, 1]; weights halve with the interval.
    nodes[i] = (1 - z) / 2;
    weights[i] = 1 / ((1 - z * z) * dp * dp);
  }
  return { nodes, weights };
}

/** The model's weights as constant tensors (caller disposes). */
function weightTensors(weights: LstmWeights): { layers: [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D][]; dense: [tf.Tensor2D, tf.Tensor1D] } {
  const layers = weights.layers.map((l): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] => [
    tf.tensor2d(l.kernel, [l.inputSize, 4 * l.units]),
    tf.tensor2d(l.recurrentKernel, [l.units, 4 * l.units]),
    tf.tensor1d(l.bias),
  ]);
  const last = weights.layers[weights.layers.length - 1];
  if (!last) throw new LstmInputError('model', 'the model has no LSTM layer.');
  return { layers, dense: [tf.tensor2d(weights.dense.kernel, [last.units, 1]), tf.tensor1d(weights.dense.bias)] };
}

/** Probabilities [B] of batch-major sequences x [B, T, D]. */
function probabilities(w: ReturnType<typeof weightTensors>, x: tf.Tensor): tf.Tensor1D {
  const B = x.shape[0] ?? 0;
  let seq: tf.Tensor = tf.transpose(x, [1, 0, 2]);
  w.layers.forEach(([W, U, b], l) => {
    seq = lstmLayer(seq, W, U, b, l < w.layers.length - 1);
  });
  return tf.reshape(tf.sigmoid(tf.add(tf.matMul(seq, w.dense[0]), w.dense[1])), [B]);
}

/** Probabilities of rows and the gradient of each row's probability with respect to its input. */
interface GradientSource {
  /** f(x) of `rows` sequences. */
  scores(x: Float32Array, rows: number): Promise<Float32Array>;
  /** ∂f/∂x [rows × T × D] of `rows` sequences. */
  gradients(x: Float32Array, rows: number): Promise<Float32Array>;
  /** Frees what it holds. */
  dispose(): void;
}

/** The native kernels' forward and BPTT with the input gradient: df/dz = σ(z)(1 − σ(z)). */
async function nativeSource(weights: LstmWeights, T: number, D: number, maxBatch: number): Promise<GradientSource> {
  const first = weights.layers[0];
  if (!first) throw new LstmInputError('model', 'the model has no LSTM layer.');
  const lstm = await NativeLstm.create({ steps: T, features: D, units: first.units, layers: weights.layers.length, learningRate: 0, maxBatch }, weights);
  return {
    scores: async (x, rows) => Float32Array.from(lstm.forward(x, rows, null).subarray(0, rows), sigmoid),
    gradients: async (x, rows) => {
      const logits = lstm.forward(x, rows, null);
      const dLogits = new Float32Array(rows);
      for (let b = 0; b < rows; b++) {
        const p = sigmoid(logits[b] ?? 0);
        dLogits[b] = p * (1 - p);
      }
      lstm.backward(dLogits, true);
      return lstm.inputGradient();
    },
    dispose: () => lstm.release(),
  };
}

/** The fast path's tfjs layer on the active backend, differentiated through its custom gradient. */
function tfjsSource(weights: LstmWeights, T: number, D: number): GradientSource {
  const w = weightTensors(weights);
  const gradient = tf.grad((input: tf.Tensor) => tf.sum(probabilities(w, input)));
  const run = async (f: () => tf.Tensor): Promise<Float32Array> => {
    const t = tf.tidy(f);
    const data = await t.data();
    t.dispose();
    return Float32Array.from(data);
  };
  return {
    scores: (x, rows) => run(() => probabilities(w, tf.tensor3d(x, [rows, T, D]))),
    gradients: (x, rows) => run(() => gradient(tf.tensor3d(x, [rows, T, D]))),
    dispose: () => {
      for (const t of [...w.layers.flat(), ...w.dense]) t.dispose();
    },
  };
}

/**
 * Integrated gradients of every customer in x [n × T × D] (already scaled the way the model
 * expects) from one baseline sequence. Throws LstmInputError on shapes that do not fit.
 */
export async function integratedGradients(weights: LstmWeights, x: Float32Array, n: number, T: number, D: number, options: IntegratedGradientsOptions): Promise<IntegratedGradients> {
  const m = Math.floor(options.steps);
  if (!(m >= 1)) throw new LstmInputError('steps', `integrated gradients need at least 1 step, got ${options.steps}.`);
  if (weights.features !== D) throw new LstmInputError('features', `the model expects ${weights.features} features per step, got ${D}.`);
  if (x.length !== n * T * D) throw new LstmInputError('x', `x has ${x.length} values; n × steps × features = ${n} × ${T} × ${D} = ${n * T * D}.`);
  if (options.baseline.length !== T * D) throw new LstmInputError('baseline', `the baseline has ${options.baseline.length} values; steps × features = ${T * D}.`);
  const cell = T * D;
  const quadrature = gaussLegendre(m);
  const attributions = new Float32Array(n * cell);
  const scores = new Float32Array(n);
  const gap = new Float32Array(n);
  const batchRows = Math.max(m, options.batchRows ?? 2048);
  const perChunk = Math.max(1, Math.floor(batchRows / m));
  const engine = options.engine ?? chooseEngine({ implementation: 'fast' }, tf.getBackend());
  const source = engine === 'native-simd' ? await nativeSource(weights, T, D, Math.max(perChunk * m, 1)) : tfjsSource(weights, T, D);
  try {
    const baselineScore = (await source.scores(options.baseline, 1))[0] ?? NaN;
    for (let start = 0; start < n; start += perChunk) {
      if (options.signal?.aborted) throw abortError();
      const c = Math.min(perChunk, n - start);
      // Rows of the chunk: customer i's k-th path point x' + α_k (x_i − x').
      const path = new Float32Array(c * m * cell);
      for (let i = 0; i < c; i++) {
        const xi = (start + i) * cell;
        for (let k = 0; k < m; k++) {
          const alpha = quadrature.nodes[k] ?? 0;
          const row = (i * m + k) * cell;
          for (let j = 0; j < cell; j++) {
            const b = options.baseline[j] ?? 0;
            path[row + j] = b + alpha * ((x[xi + j] ?? 0) - b);
          }
        }
      }
      const g = await source.gradients(path, c * m);
      const p = await source.scores(x.slice(start * cell, (start + c) * cell), c);
      for (let i = 0; i < c; i++) {
        const xi = (start + i) * cell;
        let total = 0;
        for (let j = 0; j < cell; j++) {
          let sum = 0;
          for (let k = 0; k < m; k++) sum += (quadrature.weights[k] ?? 0) * (g[(i * m + k) * cell + j] ?? 0);
          const b = options.baseline[j] ?? 0;
          const a = ((x[xi + j] ?? 0) - b) * sum;
          attributions[xi + j] = a;
          total += a;
        }
        const score = p[i] ?? NaN;
        scores[start + i] = score;
        gap[start + i] = Math.abs(total - (score - baselineScore));
      }
      options.onProgress?.((start + c) / n);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return { attributions, scores, baselineScore, gap };
  } finally {
    source.dispose();
  }
}

/** The mean sequence of n customers x [n × T × D] (the "training mean" baseline). */
export function meanSequence(x: Float32Array, n: number, T: number, D: number): Float32Array {
  const cell = T * D;
  const out = new Float64Array(cell);
  for (let i = 0; i < n; i++) for (let j = 0; j < cell; j++) out[j] = (out[j] ?? 0) + (x[i * cell + j] ?? 0);
  return Float32Array.from(out, (v) => (n > 0 ? v / n : 0));
}
