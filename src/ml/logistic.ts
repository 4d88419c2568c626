/**
 * L2-regularised logistic regression on standardised features: the static-feature baseline
 * the evaluate node puts beside the LSTM.
 *
 * Model: P(y = 1 | x) = σ(b + w · z), z_j = (x_j − mean_j) / scale_j (scale = population std,
 * 1 for a constant column, as sklearn's StandardScaler).
 * Fit: minimise Σ_i logloss_i + ‖w‖² / (2C) (the intercept b is not penalised) — exactly the
 * objective of sklearn's LogisticRegression(C=C, penalty='l2'). The solver is Newton's method
 * (IRLS) with a backtracking line search and a Cholesky solve of the (d+1) × (d+1) Hessian:
 * deterministic, no random state, quadratic convergence. Cost per iteration O(n·d² + d³), so it
 * suits the tens of static features it is meant for, not thousands.
 */
import { KernelInputError, checkFinite, choleskySolve, type Matrix } from './matrix.ts';

/** A fitted logistic regression; apply it to new rows with predictLogistic. */
export interface LogisticModel {
  /** Column means used to standardise (fitted on the training rows only). */
  mean: Float64Array;
  /** Column population standard deviations used to standardise (1 where a column is constant). */
  scale: Float64Array;
  /** Coefficients on the standardised features (what sklearn reports after a StandardScaler). */
  coef: Float64Array;
  /** Intercept on the standardised features. */
  intercept: number;
  /** The same model in original units: coefRaw_j = coef_j / scale_j. */
  coefRaw: Float64Array;
  /** Intercept in original units: b − Σ_j coef_j · mean_j / scale_j. */
  interceptRaw: number;
  /** Inverse regularisation strength used. */
  C: number;
  /** Newton iterations taken. */
  iterations: number;
  /** True when the gradient fell below tolerance within maxIter. */
  converged: boolean;
}

/** Options for fitLogistic. */
export interface LogisticOptions {
  /** Inverse L2 strength; default 1.0 like sklearn. Must be > 0. */
  C?: number;
  /** Iteration cap; default 100. */
  maxIter?: number;
  /** Stop when the largest gradient entry is below tol; default 1e-10. */
  tol?: number;
}

/** Result of crossValidateLogistic. */
export interface LogisticCv {
  /** Out-of-fold P(y = 1) per row: each row is scored by the model fitted without its fold. */
  probabilities: Float64Array;
  /** The model fitted for each fold (index = fold id). */
  models: LogisticModel[];
}

function sigmoid(t: number): number {
  // Two branches keep exp() from overflowing for large |t|.
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** ln(1 + e^t) without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

function checkLabels(y: ArrayLike<number>, n: number, where: string): void {
  if (y.length !== n) throw new KernelInputError('shape', `${where}: ${n} rows but ${y.length} labels.`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw new KernelInputError('labels', `${where}: label at row ${i} is ${String(v)}; expected 0 or 1.`, i);
    positives += v;
  }
  if (positives === 0 || positives === n) {
    throw new KernelInputError(
      'labels',
      `${where}: all ${n} training labels are ${positives === 0 ? 0 : 1}; logistic regression needs both classes.`,
    );
  }
}

/**
 * Fits the L2-regularised logistic regression described in the file header by Newton/IRLS.
 * Throws KernelInputError on an empty matrix, NaN features (naming row and column), labels
 * other than 0/1, or single-class labels (the unpenalised intercept would diverge).
 */
export function fitLogistic(x: Matrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  checkFinite(x, 'Features');
  const { n, d, values } = x;
  if (n === 0) throw new KernelInputError('empty', 'Logistic regression got no rows.');
  checkLabels(y, n, 'Logistic regression');
  const C = options.C ?? 1;
  if (!(C > 0) || !Number.isFinite(C)) throw new KernelInputError('option', `C must be a positive number; got ${C}.`);
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;

  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = values[i * d + j]! - mean[j]!;
      scale[j]! += c * c;
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(scale[j]! / n);
    // A constant column carries no information; scale 1 keeps it at 0 (StandardScaler's rule).
    scale[j] = s > 0 ? s : 1;
  }
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = (values[i * d + j]! - mean[j]!) / scale[j]!;

  const m = d + 1; // parameters: w_0..w_{d-1}, then the intercept
  const beta = new Float64Array(m);
  const lambda = 1 / C;
  const objective = (b: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let t = b[d]!;
      for (let j = 0; j < d; j++) t += z[i * d + j]! * b[j]!;
      // logloss = softplus(t) − y t
      f += softplus(t) - y[i]! * t;
    }
    for (let j = 0; j < d; j++) f += 0.5 * lambda * b[j]! * b[j]!;
    return f;
  };
  let current = objective(beta);
  let iterations = 0;
  let converged = false;
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const trial = new Float64Array(m);
  for (; iterations < maxIter; iterations++) {
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      let t = beta[d]!;
      for (let j = 0; j < d; j++) t += z[i * d + j]! * beta[j]!;
      const p = sigmoid(t);
      const r = p - y[i]!;
      const w = p * (1 - p);
      const row = i * d;
      for (let a = 0; a < d; a++) {
        const za = z[row + a]!;
        grad[a]! += r * za;
        const wa = w * za;
        for (let b = 0; b <= a; b++) hess[a * m + b]! += wa * z[row + b]!;
        hess[d * m + a]! += wa;
      }
      grad[d]! += r;
      hess[d * m + d]! += w;
    }
    for (let a = 0; a < d; a++) {
      grad[a]! += lambda * beta[a]!;
      hess[a * m + a]! += lambda;
    }
    let gmax = 0;
    for (let a = 0; a < m; a++) gmax = Math.max(gmax, Math.abs(grad[a]!));
    if (gmax < tol) {
      converged = true;
      break;
    }
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) hess[a * m + b] = hess[b * m + a]!;
    const step = Float64Array.from(grad);
    if (!choleskySolve(hess, step, m)) {
      // The Hessian is PD whenever λ > 0 and some p(1 − p) > 0; saturation is the only way here.
      break;
    }
    let alpha = 1;
    let accepted = false;
    for (let halvings = 0; halvings < 50; halvings++) {
      for (let a = 0; a < m; a++) trial[a] = beta[a]! - alpha * step[a]!;
      const f = objective(trial);
      // Near the optimum the decrease is below the objective's rounding (~1e-16 relative), so a
      // rise within that noise still counts as no increase; far from it decreases are large.
      if (f <= current + 1e-13 * Math.max(1, Math.abs(current))) {
        beta.set(trial);
        current = f;
        accepted = true;
        break;
      }
      alpha /= 2;
    }
    if (!accepted) {
      // No decrease even for tiny steps: we are at the optimum to machine precision.
      converged = gmax < 1e-6 * n;
      break;
    }
  }

  const coef = beta.slice(0, d);
  const intercept = beta[d]!;
  const coefRaw = new Float64Array(d);
  let interceptRaw = intercept;
  for (let j = 0; j < d; j++) {
    coefRaw[j] = coef[j]! / scale[j]!;
    interceptRaw -= (coef[j]! * mean[j]!) / scale[j]!;
  }
  return { mean, scale, coef, intercept, coefRaw, interceptRaw, C, iterations, converged };
}

/** P(y = 1) = σ(b + Σ_j coef_j (x_j − mean_j) / scale_j) for each row of x. */
export function predictLogistic(model: LogisticModel, x: Matrix): Float64Array {
  checkFinite(x, 'Features');
  const { n, d, values } = x;
  if (d !== model.coef.length) {
    throw new KernelInputError('shape', `Model was fitted on ${model.coef.length} features; got ${d}.`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = model.intercept;
    for (let j = 0; j < d; j++) t += (model.coef[j]! * (values[i * d + j]! - model.mean[j]!)) / model.scale[j]!;
    out[i] = sigmoid(t);
  }
  return out;
}

/**
 * K-fold out-of-fold probabilities: for each fold k, fits on rows whose fold ≠ k (standardising
 * with those rows only, so the held-out fold never leaks into fitting) and scores rows whose
 * fold = k. `folds[i]` is row i's fold id in 0..K−1; every fold id up to the maximum must occur,
 * and K ≥ 2. A training split with a single class throws KernelInputError naming the fold.
 */
export function crossValidateLogistic(
  x: Matrix,
  y: ArrayLike<number>,
  folds: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticCv {
  const { n, d, values } = x;
  if (folds.length !== n) throw new KernelInputError('shape', `${n} rows but ${folds.length} fold ids.`);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const f = folds[i]!;
    if (!Number.isInteger(f) || f < 0) {
      throw new KernelInputError('labels', `Fold id at row ${i} is ${String(f)}; expected an integer ≥ 0.`, i);
    }
    k = Math.max(k, f + 1);
  }
  if (k < 2) throw new KernelInputError('option', `Cross-validation needs at least 2 folds; got ${k}.`);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[folds[i]!]!++;
  for (let f = 0; f < k; f++) {
    if (counts[f] === 0) throw new KernelInputError('option', `Fold ${f} has no rows; fold ids must be 0..${k - 1} without gaps.`);
  }
  const probabilities = new Float64Array(n);
  const models: LogisticModel[] = [];
  for (let f = 0; f < k; f++) {
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? testRows : trainRows).push(i);
    const take = (rows: number[]): Matrix => {
      const out = new Float64Array(rows.length * d);
      rows.forEach((r, at) => out.set(values.subarray(r * d, r * d + d), at * d));
      return { values: out, n: rows.length, d };
    };
    const yTrain = Float64Array.from(trainRows, (r) => y[r]!);
    let model: LogisticModel;
    try {
      model = fitLogistic(take(trainRows), yTrain, options);
    } catch (error) {
      if (error instanceof KernelInputError) {
        throw new KernelInputError(error.code, `Fold ${f}: ${error.message}`, error.row === null ? null : trainRows[error.row] ?? null, error.column);
      }
      throw error;
    }
    models.push(model);
    const p = predictLogistic(model, take(testRows));
    testRows.forEach((r, at) => {
      probabilities[r] = p[at]!;
    });
  }
  return { probabilities, models };
}
