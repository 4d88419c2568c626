/**
 * Principal component analysis for the segment scatter (usually 2-D).
 *
 * Method: centre the columns, form the d × d sample covariance S = Xcᵀ Xc / (n − 1), and
 * diagonalise it with cyclic Jacobi rotations (exact to rounding for the few dozen features
 * a studio table has; cost O(n·d² + d³)). Components are the eigenvectors of the largest
 * eigenvalues; explained variance = eigenvalue (sklearn's explained_variance_), ratio =
 * eigenvalue / trace(S). Sign convention (deterministic, data-order independent): each
 * component's largest-magnitude loading is positive (the first one on exact ties). sklearn 1.2
 * instead fixes signs from the scores (svd_flip on U), so its components may differ in sign.
 *
 * Degenerate inputs: no rows → KernelInputError('empty'); NaN → KernelInputError naming row and
 * column; one row or constant data (trace 0) → `degenerate: true`, variances and ratios 0, axes
 * the coordinate axes and scores 0 — never NaN.
 */
import { KernelInputError, checkFinite, type Matrix } from './matrix.ts';

/** A fitted PCA; pcaTransform projects new rows with it. */
export interface PcaModel {
  /** Column means subtracted before projecting. */
  mean: Float64Array;
  /** Number of components kept (≤ d). */
  components: number;
  /** Number of input features. */
  d: number;
  /** components × d unit loadings, row-major, in decreasing order of variance. */
  loadings: Float64Array;
  /** Variance along each component (eigenvalue of the n − 1 covariance). */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance. */
  explainedVarianceRatio: Float64Array;
  /** Total variance trace(S) over all d features. */
  totalVariance: number;
  /** True when the data has no variance at all (one row or constant columns). */
  degenerate: boolean;
  /** The training rows projected: n × components, row-major. */
  scores: Float64Array;
}

/** Options for pca. */
export interface PcaOptions {
  /** Components to keep; default 2; more than d keeps d. */
  components?: number;
}

/**
 * Eigen-decomposition of a symmetric m × m matrix by cyclic Jacobi; returns eigenvalues and
 * eigenvectors (columns of `vectors`, row-major m × m) in the order found (unsorted).
 */
export function jacobiEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const s = Float64Array.from(a);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale += s[i]! * s[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += s[p * m + q]! * s[p * m + q]!;
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = s[p * m + q]!;
        if (apq === 0) continue;
        const app = s[p * m + p]!;
        const aqq = s[q * m + q]!;
        // Rotation angle that zeroes (p, q): tan 2θ = 2 a_pq / (a_qq − a_pp), smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const skp = s[k * m + p]!;
          const skq = s[k * m + q]!;
          s[k * m + p] = c * skp - sn * skq;
          s[k * m + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < m; k++) {
          const spk = s[p * m + k]!;
          const sqk = s[q * m + k]!;
          s[p * m + k] = c * spk - sn * sqk;
          s[q * m + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = s[i * m + i]!;
  return { values, vectors: v };
}

/** Fits PCA to x and projects it; see the file header for method, signs and degenerate cases. */
export function pca(x: Matrix, options: PcaOptions = {}): PcaModel {
  checkFinite(x, 'PCA input');
  const { n, d, values } = x;
  if (n === 0) throw new KernelInputError('empty', 'PCA got no rows.');
  const wanted = options.components ?? 2;
  if (!Number.isInteger(wanted) || wanted < 1) {
    throw new KernelInputError('option', `components must be an integer ≥ 1; got ${wanted}.`);
  }
  const c = Math.min(wanted, d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * d + j]!;
  for (let j = 0; j < d; j++) {
    mean[j] = mean[j]! / n;
    // A constant column's mean must equal its value exactly, or rounding (0.1 + 0.1 + 0.1 ≠ 0.3)
    // would give it a spurious tiny variance.
    const first = values[j]!;
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = values[i * d + j] === first;
    if (constant) mean[j] = first;
  }
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = values[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += ra * row[b]!;
    }
  }
  const denominator = Math.max(n - 1, 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / denominator;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += cov[j * d + j]!;
  const eig = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((p, q) => eig.values[q]! - eig.values[p]! || p - q);
  const loadings = new Float64Array(c * d);
  const explainedVariance = new Float64Array(c);
  const explainedVarianceRatio = new Float64Array(c);
  const degenerate = !(totalVariance > 0);
  for (let k = 0; k < c; k++) {
    const col = order[k]!;
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(eig.vectors[j * d + col]!) > Math.abs(eig.vectors[big * d + col]!)) big = j;
    const sign = eig.vectors[big * d + col]! < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) loadings[k * d + j] = sign * eig.vectors[j * d + col]!;
    // Rounding can leave a tiny negative eigenvalue for a rank-deficient covariance; a variance is ≥ 0.
    const lambda = Math.max(eig.values[col]!, 0);
    explainedVariance[k] = lambda;
    explainedVarianceRatio[k] = degenerate ? 0 : lambda / totalVariance;
  }
  const model: PcaModel = {
    mean,
    components: c,
    d,
    loadings,
    explainedVariance,
    explainedVarianceRatio,
    totalVariance,
    degenerate,
    scores: new Float64Array(0),
  };
  // With no variance every centred row is 0; rounding in the mean must not invent spread.
  model.scores = degenerate ? new Float64Array(n * c) : pcaTransform(model, x);
  return model;
}

/** Projects rows onto the fitted components: score_k = Σ_j (x_j − mean_j) · loading_kj. */
export function pcaTransform(model: PcaModel, x: Matrix): Float64Array {
  checkFinite(x, 'PCA input');
  const { n, d, values } = x;
  if (d !== model.d) throw new KernelInputError('shape', `PCA was fitted on ${model.d} features; got ${d}.`);
  const c = model.components;
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (values[i * d + j]! - model.mean[j]!) * model.loadings[k * d + j]!;
      out[i * c + k] = s;
    }
  }
  return out;
}

/** A 2-D picture of the rows: the first two principal component scores per row (0 where there are fewer components), with the variance ratios and loadings as JSON-ready arrays. */
export function projection2d(x: Matrix): { pc1: number[]; pc2: number[]; explainedVarianceRatio: number[]; loadings: number[][] } {
  const model = pca(x, { components: 2 });
  const k = model.components;
  const pc = (i: number, c: number): number => (c < k ? (model.scores[i * k + c] ?? 0) : 0);
  return {
    pc1: Array.from({ length: x.n }, (_, i) => pc(i, 0)),
    pc2: Array.from({ length: x.n }, (_, i) => pc(i, 1)),
    explainedVarianceRatio: Array.from(model.explainedVarianceRatio),
    loadings: Array.from({ length: k }, (_, c) => Array.from(model.loadings.subarray(c * x.d, c * x.d + x.d))),
  };
}
