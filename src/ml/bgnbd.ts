/**
 * The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
 * while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
 * purchase they drop out with probability p ~ Beta(a, b). Fitted by maximum likelihood on each
 * customer's (x = repeat purchases, tₓ = time of the last one since the first, T = time since the
 * first), in the log-sum-exp form lifetimes' BetaGeoFitter uses:
 *   ℓᵢ = A₁ + A₂ + log(e^{A₃} + [x > 0] e^{A₄})
 *   A₁ = lnΓ(r+x) − lnΓ(r) + r ln α
 *   A₂ = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
 *   A₃ = −(r+x) ln(α+T)
 *   A₄ = ln a − ln(b+x−1) − (r+x) ln(α+tₓ)
 * maximised over log-parameters by BFGS with the analytic gradient; standard errors are the
 * square roots of the diagonal of the inverse of the (numerical) Hessian of −Σℓᵢ.
 */
import { KernelInputError } from './matrix.ts';
import { inverseSpd, minimiseBfgs, numericalHessian, type Objective } from './optimize.ts';
import { digamma, hyp2f1Log, logGamma } from './special.ts';

/** Per-customer purchase summary in one time unit (lifetimes' frequency, recency, T). */
export interface PurchaseHistory {
  /** Repeat purchases x (purchases after the first). */
  frequency: Float64Array;
  /** Time from the first to the last purchase, tₓ (0 when x = 0). */
  recency: Float64Array;
  /** Time from the first purchase to the end of calibration, T ≥ tₓ. */
  T: Float64Array;
}

/** BG/NBD parameters. */
export interface BgNbdParams {
  /** Shape of the purchase-rate gamma. */
  r: number;
  /** Rate (scale of time) of the purchase-rate gamma. */
  alpha: number;
  /** Beta shape a of the dropout probability. */
  a: number;
  /** Beta shape b of the dropout probability. */
  b: number;
}

/** A fitted BG/NBD model. */
export interface BgNbdFit {
  /** Maximum-likelihood parameters. */
  params: BgNbdParams;
  /** Standard errors (NaN when the Hessian is not positive definite). */
  standardErrors: BgNbdParams;
  /** Σ ℓᵢ at the optimum. */
  logLikelihood: number;
  /** Customers fitted. */
  customers: number;
  /** Whether BFGS met its gradient tolerance. */
  converged: boolean;
  /** BFGS iterations. */
  iterations: number;
}

/** Checks a purchase history: same lengths, finite, x ≥ 0, 0 ≤ tₓ ≤ T, tₓ = 0 when x = 0. */
export function checkHistory(h: PurchaseHistory): void {
  const n = h.frequency.length;
  if (h.recency.length !== n || h.T.length !== n) throw new KernelInputError('shape', `frequency, recency and T have ${n}, ${h.recency.length} and ${h.T.length} values.`);
  for (let i = 0; i < n; i++) {
    const x = h.frequency[i]!;
    const t = h.recency[i]!;
    const T = h.T[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(t) || !Number.isFinite(T)) throw new KernelInputError('not-finite', `Customer ${i} has frequency ${x}, recency ${t}, T ${T}.`, i);
    if (x < 0 || t < 0 || t > T * (1 + 1e-12) || (x === 0 && t !== 0)) throw new KernelInputError('range', `Customer ${i} has frequency ${x}, recency ${t}, T ${T}.`, i);
  }
}

/** Distinct frequencies with their counts (the x-only likelihood terms are summed per value). */
function frequencyGroups(frequency: Float64Array): { values: Float64Array; counts: Float64Array } {
  const map = new Map<number, number>();
  for (let i = 0; i < frequency.length; i++) map.set(frequency[i]!, (map.get(frequency[i]!) ?? 0) + 1);
  return { values: Float64Array.from(map.keys()), counts: Float64Array.from(map.values()) };
}

/** Σᵢ ℓᵢ at the given parameters (lifetimes' log-likelihood convention, unweighted). */
export function bgnbdLogLikelihood(h: PurchaseHistory, p: BgNbdParams): number {
  return -negativeLogLikelihood(h, frequencyGroups(h.frequency), p, null);
}

/** −Σℓᵢ and, when `grad` is given, its gradient in (r, α, a, b). */
function negativeLogLikelihood(h: PurchaseHistory, groups: { values: Float64Array; counts: Float64Array }, p: BgNbdParams, grad: Float64Array | null): number {
  const { r, alpha, a, b } = p;
  const n = h.frequency.length;
  let ll = n * (r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b));
  let gr = n * (Math.log(alpha) - digamma(r));
  let galpha = (n * r) / alpha;
  let ga = n * digamma(a + b);
  let gb = n * (digamma(a + b) - digamma(b));
  for (let k = 0; k < groups.values.length; k++) {
    const x = groups.values[k]!;
    const c = groups.counts[k]!;
    ll += c * (logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x));
    if (grad) {
      gr += c * digamma(r + x);
      ga -= c * digamma(a + b + x);
      gb += c * (digamma(b + x) - digamma(a + b + x));
    }
  }
  const logA = Math.log(a);
  for (let i = 0; i < n; i++) {
    const x = h.frequency[i]!;
    const rx = r + x;
    const logAT = Math.log(alpha + h.T[i]!);
    const a3 = -rx * logAT;
    if (x > 0) {
      const logAt = Math.log(alpha + h.recency[i]!);
      const a4 = logA - Math.log(b + x - 1) - rx * logAt;
      const m = Math.max(a3, a4);
      const e3 = Math.exp(a3 - m);
      const e4 = Math.exp(a4 - m);
      const s = e3 + e4;
      ll += m + Math.log(s);
      if (grad) {
        const w = e4 / s;
        gr -= (1 - w) * logAT + w * logAt;
        galpha -= rx * ((1 - w) / (alpha + h.T[i]!) + w / (alpha + h.recency[i]!));
        ga += w / a;
        gb -= w / (b + x - 1);
      }
    } else {
      ll += a3;
      if (grad) {
        gr -= logAT;
        galpha -= rx / (alpha + h.T[i]!);
      }
    }
  }
  if (grad) {
    grad[0] = -gr;
    grad[1] = -galpha;
    grad[2] = -ga;
    grad[3] = -gb;
  }
  return -ll;
}

/** Options of `fitBgNbd`. */
export interface BgNbdFitOptions {
  /** Starting parameters (default r = 1, α = mean T / (mean x + 1), a = 1, b = 1). */
  start?: BgNbdParams;
  /** BFGS iteration cap (default 500). */
  maxIterations?: number;
  /** lifetimes' penalizer_coef: adds c · (r² + α² + a² + b²) to the mean negative log-likelihood (default 0). */
  penalizer?: number;
}

const paramsOf = (v: ArrayLike<number>): BgNbdParams => ({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! });

/** Fits BG/NBD by maximum likelihood (BFGS on log-parameters) with standard errors. */
export function fitBgNbd(h: PurchaseHistory, options: BgNbdFitOptions = {}): BgNbdFit {
  checkHistory(h);
  const n = h.frequency.length;
  if (n === 0) throw new KernelInputError('empty', 'There are no customers to fit.');
  const groups = frequencyGroups(h.frequency);
  let meanT = 0;
  let meanX = 0;
  for (let i = 0; i < n; i++) {
    meanT += h.T[i]! / n;
    meanX += h.frequency[i]! / n;
  }
  const start = options.start ?? { r: 1, alpha: Math.max(meanT / (meanX + 1), 1e-3), a: 1, b: 1 };
  const g = new Float64Array(4);
  const c = options.penalizer ?? 0;
  // Mean negative log-likelihood (plus lifetimes' L2 penalty) over log-parameters, so that the
  // tolerance does not scale with n.
  const penalised: Objective = (q, grad) => {
    const p = paramsOf(q);
    const value = negativeLogLikelihood(h, groups, p, grad) / n + c * (p.r ** 2 + p.alpha ** 2 + p.a ** 2 + p.b ** 2);
    for (let i = 0; i < 4; i++) grad[i] = grad[i]! / n + 2 * c * q[i]!;
    return value;
  };
  const objective: Objective = (theta, grad) => {
    const q = Float64Array.from(theta, Math.exp);
    const value = penalised(q, g);
    for (let i = 0; i < 4; i++) grad[i] = g[i]! * q[i]!;
    return value;
  };
  const result = minimiseBfgs(objective, [start.r, start.alpha, start.a, start.b].map(Math.log), { maxIterations: options.maxIterations ?? 500 });
  const params = paramsOf(Array.from(result.x, Math.exp));
  // The Hessian of the objective minimised, on the total scale (as lifetimes' variance matrix).
  const standardErrors = standardErrorsAt(
    (q, grad) => {
      const value = penalised(q, grad) * n;
      for (let i = 0; i < 4; i++) grad[i] = grad[i]! * n;
      return value;
    },
    [params.r, params.alpha, params.a, params.b],
  );
  return { params, standardErrors: paramsOf(standardErrors), logLikelihood: bgnbdLogLikelihood(h, params), customers: n, converged: result.converged, iterations: result.iterations };
}

/** √diag(H⁻¹) of a total negative log-likelihood at its optimum; NaN where H is not positive definite. */
export function standardErrorsAt(f: Objective, at: number[]): Float64Array {
  const m = at.length;
  const inv = inverseSpd(numericalHessian(f, at), m);
  return Float64Array.from({ length: m }, (_, i) => (inv && inv[i * m + i]! > 0 ? Math.sqrt(inv[i * m + i]!) : Number.NaN));
}

/** P(alive at T | x, tₓ, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+tₓ))^{r+x}). */
export function probabilityAlive(p: BgNbdParams, x: number, recency: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = (p.r + x) * Math.log((p.alpha + T) / (p.alpha + recency)) + Math.log(p.a / (p.b + x - 1));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in (T, T + t] given the history (the paper's eq. 10, lifetimes'
 * conditional_expected_number_of_purchases_up_to_time):
 *   E = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *       / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+tₓ))^{r+x})
 * ₂F₁ is summed in log space, so large x does not overflow. NaN when the series does not converge.
 */
export function expectedPurchases(p: BgNbdParams, t: number, x: number, recency: number, T: number): number {
  if (t === 0) return 0;
  const z = t / (p.alpha + T + t);
  const hyp = hyp2f1Log(p.r + x, p.b + x, p.a + p.b + x - 1, z);
  if (Number.isNaN(hyp.log)) return Number.NaN;
  const logPower = (p.r + x) * Math.log((p.alpha + T) / (p.alpha + T + t));
  // 1 − sign·e^{L} without cancellation for small horizons.
  const L = hyp.log + logPower;
  const second = hyp.sign > 0 ? -Math.expm1(L) : 1 - hyp.sign * Math.exp(L);
  return ((p.a + p.b + x - 1) / (p.a - 1)) * second * probabilityAlive(p, x, recency, T);
}

/**
 * P(at least one purchase in (T, T + t] | history) = P(alive) · (1 − ((α+T)/(α+T+t))^{r+x}):
 * a customer alive at T can only drop out right after a purchase, and given alive λ ~
 * Gamma(r + x, α + T), so P(no purchase | alive) = ((α+T)/(α+T+t))^{r+x}.
 */
export function probabilityAnyPurchase(p: BgNbdParams, t: number, x: number, recency: number, T: number): number {
  const none = Math.exp((p.r + x) * Math.log((p.alpha + T) / (p.alpha + T + t)));
  return probabilityAlive(p, x, recency, T) * (1 - none);
}

/** Expected purchases of a new customer in (0, t] (the paper's eq. 9). */
export function expectedPurchasesNew(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const hyp = hyp2f1Log(p.r, p.b, p.a + p.b - 1, t / (p.alpha + t));
  if (Number.isNaN(hyp.log)) return Number.NaN;
  const L = hyp.log + p.r * Math.log(p.alpha / (p.alpha + t));
  const second = hyp.sign > 0 ? -Math.expm1(L) : 1 - hyp.sign * Math.exp(L);
  return ((p.a + p.b - 1) / (p.a - 1)) * second;
}
