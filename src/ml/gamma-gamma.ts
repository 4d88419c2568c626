/**
 * The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves
 * for customer base analysis"): a customer's transaction values are Gamma(p, ν) with ν ~
 * Gamma(q, v). Fitted by maximum likelihood on returning customers' (x > 0 repeat purchases,
 * m̄ = their mean value > 0), lifetimes' GammaGammaFitter convention:
 *   ℓᵢ = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln m̄ + px ln x − (px+q) ln(x m̄ + v)
 * Expected average spend: (1 − w)·v p/(q−1) + w·m̄ with w = px/(px+q−1).
 */
import { expectedPurchases, standardErrorsAt, type BgNbdParams } from './bgnbd.ts';
import { KernelInputError } from './matrix.ts';
import { minimiseBfgs, type Objective } from './optimize.ts';
import { digamma, logGamma } from './special.ts';

/** Gamma-Gamma parameters. */
export interface GammaGammaParams {
  /** Shape of each transaction value. */
  p: number;
  /** Shape of the customer's rate ν. */
  q: number;
  /** Rate of the customer's rate ν (scale of money). */
  v: number;
}

/** A fitted Gamma-Gamma model. */
export interface GammaGammaFit {
  /** Maximum-likelihood parameters. */
  params: GammaGammaParams;
  /** Standard errors (NaN when the Hessian is not positive definite). */
  standardErrors: GammaGammaParams;
  /** Σ ℓᵢ at the optimum. */
  logLikelihood: number;
  /** Customers fitted. */
  customers: number;
  /** Whether BFGS met its gradient tolerance. */
  converged: boolean;
  /** BFGS iterations. */
  iterations: number;
}

/** Σᵢ ℓᵢ and optionally its gradient in (p, q, v); every x > 0 and m̄ > 0. */
function logLikelihood(x: Float64Array, m: Float64Array, params: GammaGammaParams, grad: Float64Array | null): number {
  const { p, q, v } = params;
  const n = x.length;
  let ll = n * (q * Math.log(v) - logGamma(q));
  let gp = 0;
  let gq = n * (Math.log(v) - digamma(q));
  let gv = (n * q) / v;
  let lastX = Number.NaN;
  let lgDiff = 0;
  let psiDiff = 0;
  let psiSum = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const mi = m[i]!;
    const px = p * xi;
    // Frequencies repeat a lot: reuse the Γ terms while x is unchanged.
    if (xi !== lastX) {
      lastX = xi;
      lgDiff = logGamma(px + q) - logGamma(px);
      if (grad) {
        psiSum = digamma(px + q);
        psiDiff = psiSum - digamma(px);
      }
    }
    const logM = Math.log(mi);
    const logX = Math.log(xi);
    const logXmv = Math.log(xi * mi + v);
    ll += lgDiff + (px - 1) * logM + px * logX - (px + q) * logXmv;
    if (grad) {
      gp += xi * (psiDiff + logM + logX - logXmv);
      gq += psiSum - logXmv;
      gv -= (px + q) / (xi * mi + v);
    }
  }
  if (grad) {
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gv;
  }
  return ll;
}

/** Checks Gamma-Gamma input: same lengths, every frequency > 0 and finite mean value > 0. */
function checkSpend(x: Float64Array, m: Float64Array): void {
  if (x.length !== m.length) throw new KernelInputError('shape', `frequency has ${x.length} values, monetary ${m.length}.`);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! > 0) || !(m[i]! > 0) || !Number.isFinite(x[i]!) || !Number.isFinite(m[i]!)) throw new KernelInputError('range', `Customer ${i} has frequency ${x[i]} and monetary value ${m[i]}; both must be positive.`, i);
  }
}

/** Σᵢ ℓᵢ at the given parameters. */
export function gammaGammaLogLikelihood(x: Float64Array, m: Float64Array, params: GammaGammaParams): number {
  checkSpend(x, m);
  return logLikelihood(x, m, params, null);
}

const paramsOf = (v: ArrayLike<number>): GammaGammaParams => ({ p: v[0]!, q: v[1]!, v: v[2]! });

/** Options of `fitGammaGamma`. */
export interface GammaGammaFitOptions {
  /** Starting parameters (default p = 1, q = 2, v = mean value). */
  start?: GammaGammaParams;
  /** lifetimes' penalizer_coef: adds c · (p² + q² + v²) to the mean negative log-likelihood (default 0). */
  penalizer?: number;
}

/** Fits Gamma-Gamma by maximum likelihood (BFGS on log-parameters) with standard errors. */
export function fitGammaGamma(x: Float64Array, m: Float64Array, options: GammaGammaFitOptions = {}): GammaGammaFit {
  checkSpend(x, m);
  const n = x.length;
  if (n === 0) throw new KernelInputError('empty', 'There are no returning customers with positive spend to fit.');
  // Sorting by frequency lets the likelihood reuse its Γ terms.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const xs = Float64Array.from(order, (i) => x[i]!);
  const ms = Float64Array.from(order, (i) => m[i]!);
  let meanM = 0;
  for (let i = 0; i < n; i++) meanM += ms[i]! / n;
  const init = options.start ?? { p: 1, q: 2, v: meanM };
  const c = options.penalizer ?? 0;
  const g = new Float64Array(3);
  // Mean negative log-likelihood plus lifetimes' L2 penalty, in (p, q, v).
  const penalised: Objective = (q, grad) => {
    const value = -logLikelihood(xs, ms, paramsOf(q), grad) / n + c * (q[0]! ** 2 + q[1]! ** 2 + q[2]! ** 2);
    for (let i = 0; i < 3; i++) grad[i] = -grad[i]! / n + 2 * c * q[i]!;
    return value;
  };
  const objective: Objective = (theta, grad) => {
    const q = Float64Array.from(theta, Math.exp);
    const value = penalised(q, g);
    for (let i = 0; i < 3; i++) grad[i] = g[i]! * q[i]!;
    return value;
  };
  const result = minimiseBfgs(objective, [init.p, init.q, init.v].map(Math.log), {});
  const params = paramsOf(Array.from(result.x, Math.exp));
  const se = standardErrorsAt(
    (q, grad) => {
      const value = penalised(q, grad) * n;
      for (let i = 0; i < 3; i++) grad[i] = grad[i]! * n;
      return value;
    },
    [params.p, params.q, params.v],
  );
  return { params, standardErrors: paramsOf(se), logLikelihood: logLikelihood(xs, ms, params, null), customers: n, converged: result.converged, iterations: result.iterations };
}

/** E[average spend | x, m̄] = (1 − w)·v p/(q−1) + w·m̄, w = px/(px+q−1); the population mean when x = 0. NaN when q ≤ 1. */
export function expectedAverageSpend(params: GammaGammaParams, x: number, monetary: number): number {
  const { p, q, v } = params;
  if (!(q > 1)) return Number.NaN;
  const w = x > 0 ? (p * x) / (p * x + q - 1) : 0;
  const populationMean = (v * p) / (q - 1);
  return x > 0 ? (1 - w) * populationMean + w * monetary : populationMean;
}

/** Periods of each unit in one month, as lifetimes' customer_lifetime_value counts them. */
export const periodsPerMonth = { day: 30, week: 4.345, month: 1 } as const;

/**
 * CLV over `months` months with a monthly discount rate d (lifetimes' customer_lifetime_value):
 *   CLV = Σ_{k=1..months} spend · [E(k·f) − E((k−1)·f)] / (1 + d)^k
 * with E(t) the BG/NBD expected purchases in (T, T + t] and f the periods per month.
 */
export function customerLifetimeValue(model: BgNbdParams, spend: number, months: number, discountRate: number, periodsPerMonthValue: number, x: number, recency: number, T: number): number {
  let clv = 0;
  let previous = 0;
  for (let k = 1; k <= months; k++) {
    const e = expectedPurchases(model, k * periodsPerMonthValue, x, recency, T);
    clv += (spend * (e - previous)) / (1 + discountRate) ** k;
    previous = e;
  }
  return clv;
}
