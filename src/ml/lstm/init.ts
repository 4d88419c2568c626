/**
 * Seeded weight initialisation shared by every implementation, so that the fast path and
 * the tf.layers reference start from identical weights for the same seed:
 * - input kernels: Glorot uniform, limit √(6 / (D + 4H));
 * - recurrent kernels: orthogonal (Keras' default), computed here with a twice-repeated
 *   modified Gram–Schmidt on Gaussian rows — milliseconds, where tfjs' QR-based orthogonal
 *   initialiser takes seconds at 256 units;
 * - biases: zero with the forget-gate block set to one ("unit forget bias");
 * - dense output: Glorot uniform kernel, zero bias.
 */
import { createRng, deriveSeed, type Rng } from '../random.ts';
import type { LstmLayerWeights, LstmWeights } from './types.ts';

/** Glorot-uniform values for a [fanIn, fanOut] kernel, row-major. */
export function glorotUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

/**
 * A [rows, cols] matrix with orthonormal rows (rows ≤ cols) or orthonormal columns
 * (rows > cols), from Gaussian draws, as Keras' Orthogonal(gain = 1) produces.
 */
export function orthogonal(rng: Rng, rows: number, cols: number): Float32Array {
  const count = Math.min(rows, cols);
  const length = Math.max(rows, cols);
  const vectors: Float64Array[] = [];
  for (let v = 0; v < count; v++) {
    const vec = new Float64Array(length);
    for (let i = 0; i < length; i++) vec[i] = rng.normal();
    // Two Gram–Schmidt passes keep the result orthogonal to float precision.
    for (let pass = 0; pass < 2; pass++) {
      for (const q of vectors) {
        let dot = 0;
        for (let i = 0; i < length; i++) dot += (q[i] as number) * (vec[i] as number);
        for (let i = 0; i < length; i++) vec[i] = (vec[i] as number) - dot * (q[i] as number);
      }
    }
    let norm = 0;
    for (let i = 0; i < length; i++) norm += (vec[i] as number) ** 2;
    norm = Math.sqrt(norm);
    // A Gaussian vector is never (numerically) in the span of fewer than `length` others.
    for (let i = 0; i < length; i++) vec[i] = (vec[i] as number) / norm;
    vectors.push(vec);
  }
  const out = new Float32Array(rows * cols);
  for (let v = 0; v < count; v++) {
    const vec = vectors[v] as Float64Array;
    for (let i = 0; i < length; i++) {
      // rows ≤ cols: vector v is row v; otherwise it is column v.
      if (rows <= cols) out[v * cols + i] = vec[i] as number;
      else out[i * cols + v] = vec[i] as number;
    }
  }
  return out;
}

/** Shape of the network to initialise. */
export interface LstmShape {
  /** Features per timestep. */
  features: number;
  /** Units per LSTM layer. */
  units: number;
  /** Number of LSTM layers. */
  layers: number;
}

/** Seeded initial weights in tf.layers.lstm layout (same seed → same weights everywhere). */
export function initLstmWeights(shape: LstmShape, seed: number): LstmWeights {
  const rng = createRng(deriveSeed(seed, 'lstm-init'));
  const H = shape.units;
  const layers: LstmLayerWeights[] = [];
  for (let l = 0; l < shape.layers; l++) {
    const D = l === 0 ? shape.features : H;
    const kernel = glorotUniform(rng, D, 4 * H);
    const recurrentKernel = orthogonal(rng, H, 4 * H);
    const bias = new Float32Array(4 * H);
    bias.fill(1, H, 2 * H);
    layers.push({ inputSize: D, units: H, kernel, recurrentKernel, bias });
  }
  const dense = { kernel: glorotUniform(rng, H, 1), bias: new Float32Array(1) };
  return { features: shape.features, layers, dense };
}

/** A deep copy of weights (typed arrays are copied, never shared). */
export function cloneWeights(weights: LstmWeights): LstmWeights {
  return {
    features: weights.features,
    layers: weights.layers.map((l) => ({
      inputSize: l.inputSize,
      units: l.units,
      kernel: l.kernel.slice(),
      recurrentKernel: l.recurrentKernel.slice(),
      bias: l.bias.slice(),
    })),
    dense: { kernel: weights.dense.kernel.slice(), bias: weights.dense.bias.slice() },
  };
}
