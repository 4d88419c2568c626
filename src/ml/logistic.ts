/**
 * L2-regularised logistic regression on standardised features: the static-feature baseline
 * the evaluate node puts beside the LSTM.
 *
 * Model: P(y = 1 | x) = σ(b + w · z), z_j = (x_j − mean_j) / scale_j (scale = population std,
 * 1 for a constant column, as sklearn's StandardScaler).
 * Fit: minimise Σ_i logloss_i + ‖w‖² / (2C) (the intercept b is not penalised) — exactly the
 * objective of sklearn's LogisticRegression(C=C, penalty='l2'). The solver is Newton's method
 * (IRLS) with a backtracking line search and a Cholesky solve of the (d+1) × (d+1) Hessian:
 * deterministic, no random state, quadratic convergence. Cost per iteration O(n·d + nnz-pairs +
 * d³) (the Hessian is accumulated on a sparse shift of the columns, see LogisticTrainer), so it
 * suits the tens to hundreds of one-hot features it is meant for, not tens of thousands.
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
 * Newton/IRLS for the objective in the file header, one iteration per `step()` so that a caller
 * can report progress and yield (the classify node does; fitLogistic runs it to the end).
 *
 * The Hessian Σ_i p_i(1 − p_i) z_i z_iᵀ dominates the cost (n·d²/2 per iteration). One-hot
 * columns are mostly one value, so it is accumulated on u_ij = (x_ij − r_j)/s_j, where r_j is the
 * column's most frequent value when that value holds at least half the rows (else its mean): u is
 * sparse (Telco one-hot: ~12 of 46 entries per row), and with c_j = (mean_j − r_j)/s_j, z = u − c,
 *   H_ab = Σ w u_a u_b − c_a Σ w u_b − c_b Σ w u_a + c_a c_b Σ w.
 * When r_j's share f ≥ 1/2, c_j² ≤ (1 − f)/f ≤ 1 (Cauchy–Schwarz), so the subtraction loses no
 * more than a bit. The linear predictor, gradient and objective use the same shift
 * (w · z = w · u − w · c, Σ r z = Σ r u − c Σ r), so each pass costs O(nnz) instead of O(n·d).
 */
export class LogisticTrainer {
  /** Iterations taken so far. */
  iteration = 0;
  /** True once the gradient fell below tolerance (or no decrease is possible in doubles). */
  converged = false;
  /** Largest |gradient| entry at the last iteration. */
  gradientNorm = Number.POSITIVE_INFINITY;
  private finished = false;
  private readonly n: number;
  private readonly d: number;
  /** Scratch: the linear predictor per row. */
  private readonly t: Float64Array;
  private readonly y: ArrayLike<number>;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly lambda: number;
  private readonly C: number;
  private readonly maxIter: number;
  private readonly tol: number;
  private readonly beta: Float64Array;
  private current: number;
  /** Row i's nonzero u entries: columns uCol[uStart[i]..uStart[i+1]) with values uVal. */
  private readonly uStart: Int32Array;
  private readonly uCol: Int32Array;
  private readonly uVal: Float64Array;
  private readonly offset: Float64Array;

  /** Checks the input (as fitLogistic documents) and standardises it. */
  constructor(x: Matrix, y: ArrayLike<number>, options: LogisticOptions = {}) {
    checkFinite(x, 'Features');
    const { n, d, values } = x;
    if (n === 0) throw new KernelInputError('empty', 'Logistic regression got no rows.');
    checkLabels(y, n, 'Logistic regression');
    const C = options.C ?? 1;
    if (!(C > 0) || !Number.isFinite(C)) throw new KernelInputError('option', `C must be a positive number; got ${C}.`);
    this.n = n;
    this.d = d;
    this.y = y;
    this.C = C;
    this.lambda = 1 / C;
    this.maxIter = options.maxIter ?? 100;
    this.tol = options.tol ?? 1e-10;
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
      const sd = Math.sqrt(scale[j]! / n);
      // A constant column carries no information; scale 1 keeps it at 0 (StandardScaler's rule).
      scale[j] = sd > 0 ? sd : 1;
    }
    this.mean = mean;
    this.scale = scale;
    this.t = new Float64Array(n);
    // The reference value of each column: its mode when it holds at least half the rows.
    const reference = Float64Array.from(mean);
    for (let j = 0; j < d; j++) {
      const counts = new Map<number, number>();
      let best = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i * d + j]!;
        const c = (counts.get(v) ?? 0) + 1;
        counts.set(v, c);
        if (c > best) {
          best = c;
          if (2 * c >= n) reference[j] = v;
        }
        // More distinct values than half the rows can leave: no value reaches half.
        if (counts.size > n / 2 + 1) break;
      }
    }
    this.offset = Float64Array.from(mean, (m, j) => (m - reference[j]!) / scale[j]!);
    const start = new Int32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const u = (values[i * d + j]! - reference[j]!) / scale[j]!;
        if (u !== 0) {
          cols.push(j);
          vals.push(u);
        }
      }
      start[i + 1] = cols.length;
    }
    this.uStart = start;
    this.uCol = Int32Array.from(cols);
    this.uVal = Float64Array.from(vals);
    this.beta = new Float64Array(d + 1);
    this.current = this.objective(this.beta);
  }

  /** t_i = b + w · z_i for every row, as b − w · c + Σ over row i's nonzero u of w_j u_ij. */
  private linear(b: Float64Array, out: Float64Array): void {
    const { n, d, uStart, uCol, uVal, offset } = this;
    let base = b[d]!;
    for (let j = 0; j < d; j++) base -= b[j]! * offset[j]!;
    for (let i = 0; i < n; i++) {
      let t = base;
      const end = uStart[i + 1]!;
      for (let k = uStart[i]!; k < end; k++) t += b[uCol[k]!]! * uVal[k]!;
      out[i] = t;
    }
  }

  private objective(b: Float64Array): number {
    const { n, d, y, t } = this;
    this.linear(b, t);
    let f = 0;
    // logloss = softplus(t) − y t
    for (let i = 0; i < n; i++) f += softplus(t[i]!) - y[i]! * t[i]!;
    for (let j = 0; j < d; j++) f += 0.5 * this.lambda * b[j]! * b[j]!;
    return f;
  }

  /** One Newton iteration with a backtracking line search; false once converged or stopped. */
  step(): boolean {
    if (this.finished) return false;
    if (this.iteration >= this.maxIter) {
      this.finished = true;
      return false;
    }
    const { n, d, y, beta, lambda, uStart, uCol, uVal, offset } = this;
    const m = d + 1; // parameters: w_0..w_{d-1}, then the intercept
    const grad = new Float64Array(m);
    const a = new Float64Array(d * d);
    const gw = new Float64Array(d);
    let sw = 0;
    const t = this.t;
    this.linear(beta, t);
    let sr = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(t[i]!);
      const r = p - y[i]!;
      const w = p * (1 - p);
      sr += r;
      sw += w;
      const end = uStart[i + 1]!;
      for (let k = uStart[i]!; k < end; k++) {
        const ca = uCol[k]!;
        const u = uVal[k]!;
        grad[ca]! += r * u;
        const wa = w * u;
        gw[ca]! += wa;
        for (let l = uStart[i]!; l <= k; l++) a[ca * d + uCol[l]!]! += wa * uVal[l]!;
      }
    }
    // Σ r z_j = Σ r u_j − c_j Σ r (the same shift as the Hessian's).
    for (let j = 0; j < d; j++) grad[j] = grad[j]! - offset[j]! * sr;
    grad[d] = sr;
    const hess = new Float64Array(m * m);
    for (let p = 0; p < d; p++) {
      for (let q = 0; q <= p; q++) {
        // Columns of a row appear in increasing order, so only a[p][q] with p ≥ q was filled.
        const h = a[p * d + q]! - offset[p]! * gw[q]! - offset[q]! * gw[p]! + offset[p]! * offset[q]! * sw;
        hess[p * m + q] = h;
        hess[q * m + p] = h;
      }
      const hb = gw[p]! - offset[p]! * sw;
      hess[d * m + p] = hb;
      hess[p * m + d] = hb;
    }
    hess[d * m + d] = sw;
    for (let p = 0; p < d; p++) {
      grad[p]! += lambda * beta[p]!;
      hess[p * m + p]! += lambda;
    }
    let gmax = 0;
    for (let p = 0; p < m; p++) gmax = Math.max(gmax, Math.abs(grad[p]!));
    this.gradientNorm = gmax;
    if (gmax < this.tol) {
      this.converged = true;
      this.finished = true;
      return false;
    }
    this.iteration++;
    const step = Float64Array.from(grad);
    if (!choleskySolve(hess, step, m)) {
      // The Hessian is PD whenever λ > 0 and some p(1 − p) > 0; saturation is the only way here.
      this.finished = true;
      return false;
    }
    const trial = new Float64Array(m);
    let alpha = 1;
    for (let halvings = 0; halvings < 50; halvings++) {
      for (let p = 0; p < m; p++) trial[p] = beta[p]! - alpha * step[p]!;
      const f = this.objective(trial);
      // Near the optimum the decrease is below the objective's rounding (~1e-16 relative), so a
      // rise within that noise still counts as no increase; far from it decreases are large.
      if (f <= this.current + 1e-13 * Math.max(1, Math.abs(this.current))) {
        beta.set(trial);
        this.current = f;
        return true;
      }
      alpha /= 2;
    }
    // No decrease even for tiny steps: we are at the optimum to machine precision.
    this.converged = gmax < 1e-6 * n;
    this.finished = true;
    return false;
  }

  /** The model at the current coefficients. */
  model(): LogisticModel {
    const { d, beta, mean, scale } = this;
    const coef = beta.slice(0, d);
    const intercept = beta[d]!;
    const coefRaw = new Float64Array(d);
    let interceptRaw = intercept;
    for (let j = 0; j < d; j++) {
      coefRaw[j] = coef[j]! / scale[j]!;
      interceptRaw -= (coef[j]! * mean[j]!) / scale[j]!;
    }
    return { mean, scale, coef, intercept, coefRaw, interceptRaw, C: this.C, iterations: this.iteration, converged: this.converged };
  }
}

/**
 * Fits the L2-regularised logistic regression described in the file header by Newton/IRLS
 * (LogisticTrainer run to the end). Throws KernelInputError on an empty matrix, NaN features
 * (naming row and column), labels other than 0/1, or single-class labels (the unpenalised
 * intercept would diverge).
 */
export function fitLogistic(x: Matrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const trainer = new LogisticTrainer(x, y, options);
  while (trainer.step());
  return trainer.model();
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
