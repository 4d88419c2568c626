/**
 * The entropy weight method (EWM) behind the weight node: columns whose values differ more
 * across customers carry more information and get more weight.
 *
 * For an n × d matrix of non-negative, already normalised columns x_ij (e.g. min-max scaled):
 *   p_ij = x_ij / Σ_i x_ij                      (share of row i in column j)
 *   e_j  = −(1 / ln n) · Σ_i p_ij ln p_ij       (entropy in [0, 1], with 0 · ln 0 = 0)
 *   d_j  = 1 − e_j                              (divergence; set to 0 below 1e-12, rounding noise)
 *   w_j  = d_j / Σ_k d_k                        (weights, summing to 1)
 *
 * Guards: an all-zero column has no shares, so it is treated as carrying no information
 * (e_j = 1, d_j = 0, weight 0) and listed in `zeroColumns`. With one row (ln n = 0) or when
 * every d_j is 0 (all columns constant or zero) the method cannot tell columns apart: weights
 * are equal (1/d) and `fallback` says why. Negative or non-finite values throw
 * KernelInputError naming the row and column; no rows throws 'empty'.
 */
import { KernelInputError, checkFinite, type Matrix } from './matrix.ts';

/** Result of entropyWeights. */
export interface EntropyWeights {
  /** w_j, summing to 1 (empty when d = 0). */
  weights: Float64Array;
  /** e_j per column (1 for zero columns; NaN never appears — with one row every e_j is 1). */
  entropy: Float64Array;
  /** d_j = 1 − e_j per column (0 when below 1e-12). */
  divergence: Float64Array;
  /** Columns whose values are all 0. */
  zeroColumns: number[];
  /** Why the weights are equal instead of entropy-based, or null when the formula applied. */
  fallback: 'single-row' | 'no-variation' | null;
}

/** Entropy weights of the columns of x, by the formula and guards in the file header. */
export function entropyWeights(x: Matrix): EntropyWeights {
  checkFinite(x, 'Weight input');
  const { n, d, values } = x;
  if (n === 0) throw new KernelInputError('empty', 'Entropy weights need at least one row.');
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = values[i * d + j]!;
      if (v < 0) {
        throw new KernelInputError(
          'range',
          `Value ${v} at row ${i}, column ${j} is negative; entropy weights need non-negative (e.g. min-max normalised) columns.`,
          i,
          j,
        );
      }
    }
  }
  const entropy = new Float64Array(d).fill(1);
  const divergence = new Float64Array(d);
  const zeroColumns: number[] = [];
  const sums = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sums[j]! += values[i * d + j]!;
  for (let j = 0; j < d; j++) if (sums[j] === 0) zeroColumns.push(j);
  const equal = (fallback: 'single-row' | 'no-variation'): EntropyWeights => ({
    weights: new Float64Array(d).fill(d > 0 ? 1 / d : 0),
    entropy,
    divergence,
    zeroColumns,
    fallback,
  });
  if (n === 1) return equal('single-row');
  const k = 1 / Math.log(n);
  let total = 0;
  for (let j = 0; j < d; j++) {
    const sum = sums[j]!;
    if (sum === 0) continue;
    let h = 0;
    for (let i = 0; i < n; i++) {
      const p = values[i * d + j]! / sum;
      if (p > 0) h -= p * Math.log(p);
    }
    const e = k * h;
    entropy[j] = e;
    // A constant column gives e = 1 only up to rounding; below 1e-12 the divergence is that noise.
    divergence[j] = 1 - e > 1e-12 ? 1 - e : 0;
    total += divergence[j]!;
  }
  if (!(total > 0)) return equal('no-variation');
  const weights = new Float64Array(d);
  for (let j = 0; j < d; j++) weights[j] = divergence[j]! / total;
  return { weights, entropy, divergence, zeroColumns, fallback: null };
}
