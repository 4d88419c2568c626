/**
 * Small dense optimisation helpers for maximum-likelihood fits with a handful of parameters:
 * BFGS with a backtracking (Armijo) line search, and a central-difference Hessian of an
 * analytic gradient for standard errors.
 */
import { choleskyFactor, choleskySubstitute } from './matrix.ts';

/** An objective with its gradient: returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of `minimiseBfgs`. */
export interface BfgsOptions {
  /** Stop when every |∂f/∂xᵢ| is below this (default 1e-7). */
  gradientTolerance?: number;
  /**
   * When no decrease of f is measurable any more (rounding: a failed line search, or three steps
   * in a row that lower f by at most 1e-15 relative), the search stops and counts as converged if
   * every |∂f/∂xᵢ| is below this (default 1e-5).
   */
  stallTolerance?: number;
  /** Iteration cap (default 500). */
  maxIterations?: number;
}

/** Result of `minimiseBfgs`. */
export interface BfgsResult {
  /** The minimiser found. */
  x: Float64Array;
  /** f at x. */
  value: number;
  /** Largest |∂f/∂xᵢ| at x. */
  gradientNorm: number;
  /** Iterations taken. */
  iterations: number;
  /** Objective evaluations. */
  evaluations: number;
  /** Whether the gradient tolerance was met (or no descent was possible at machine precision). */
  converged: boolean;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

/** Minimises a smooth objective from `start` by BFGS (inverse-Hessian form). */
export function minimiseBfgs(f: Objective, start: ArrayLike<number>, options: BfgsOptions = {}): BfgsResult {
  const tol = options.gradientTolerance ?? 1e-7;
  const stallTol = options.stallTolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 500;
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) h[i * n + i] = 1;
  const p = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);
  let iterations = 0;
  let stalled = 0;
  let tiny = 0;
  while (iterations < maxIterations && Number.isFinite(fx) && maxAbs(g) > tol && !(tiny >= 3 && maxAbs(g) <= stallTol)) {
    iterations++;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= h[i * n + j]! * g[j]!;
      p[i] = v;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += p[i]! * g[i]!;
    if (!(slope < 0)) {
      // Not a descent direction: restart from the gradient.
      h.fill(0);
      for (let i = 0; i < n; i++) h[i * n + i] = 1;
      for (let i = 0; i < n; i++) p[i] = -g[i]!;
      slope = 0;
      for (let i = 0; i < n; i++) slope -= g[i]! * g[i]!;
    }
    // Cap the first steps so that a log-parameter does not jump by more than 5.
    let step = Math.min(1, 5 / Math.max(maxAbs(p), 1e-300));
    let fNew = Number.NaN;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * p[i]!;
      fNew = f(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease is measurable along the direction: at the optimum to rounding when the
      // gradient is already small; otherwise retry once along the gradient, then give up.
      stalled++;
      if (stalled > 1 || maxAbs(g) <= stallTol) break;
      h.fill(0);
      for (let i = 0; i < n; i++) h[i * n + i] = 1;
      continue;
    }
    stalled = 0;
    // Decreases at the level of rounding for several steps: f cannot get lower in doubles.
    tiny = fx - fNew <= 1e-15 * Math.abs(fx) ? tiny + 1 : 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    if (sy > 1e-300) {
      let yhy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += h[i * n + j]! * y[j]!;
        hy[i] = v;
        yhy += y[i]! * v;
      }
      const rho = 1 / sy;
      const k = (1 + yhy * rho) * rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) h[i * n + j] = h[i * n + j]! + k * s[i]! * s[j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!);
      }
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
  }
  const gradientNorm = maxAbs(g);
  return { x, value: fx, gradientNorm, iterations, evaluations, converged: Number.isFinite(fx) && (gradientNorm <= tol || ((stalled > 0 || tiny >= 3) && gradientNorm <= stallTol)) };
}

/** Hessian of f at x by central differences of its gradient (step relative to |xᵢ|), symmetrised. */
export function numericalHessian(f: Objective, x: ArrayLike<number>, relativeStep = 1e-5): Float64Array {
  const n = x.length;
  const hess = new Float64Array(n * n);
  const xp = Float64Array.from(x);
  const gPlus = new Float64Array(n);
  const gMinus = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xj = x[j]!;
    const hj = relativeStep * Math.max(Math.abs(xj), 1e-3);
    xp[j] = xj + hj;
    f(xp, gPlus);
    xp[j] = xj - hj;
    f(xp, gMinus);
    xp[j] = xj;
    for (let i = 0; i < n; i++) hess[i * n + j] = (gPlus[i]! - gMinus[i]!) / (2 * hj);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (hess[i * n + j]! + hess[j * n + i]!);
      hess[i * n + j] = m;
      hess[j * n + i] = m;
    }
  }
  return hess;
}

/** Inverse of a symmetric positive-definite matrix by Cholesky; null when it is not positive definite. */
export function inverseSpd(a: Float64Array, m: number): Float64Array | null {
  const l = Float64Array.from(a);
  if (!choleskyFactor(l, m)) return null;
  const inv = new Float64Array(m * m);
  const column = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySubstitute(l, column, m);
    for (let i = 0; i < m; i++) inv[i * m + j] = column[i]!;
  }
  return inv;
}
