/**
 * Lifetime value from per-customer purchase summaries: fits BG/NBD on every customer and
 * Gamma-Gamma on returning customers with positive spend (or applies a saved fit), then scores
 * each customer — P(alive), expected purchases and P(≥ 1 purchase) over a horizon, expected
 * average spend and CLV over a number of months with monthly discounting (gamma-gamma.ts) —
 * and builds the frequency/recency matrix and the calibration/holdout table lifetimes users know.
 */
import { DataError, errorTemplate, warningTemplate, type DataNote, type KernelMessages } from '../data/issues.ts';
import { expectedPurchases, fitBgNbd, probabilityAlive, probabilityAnyPurchase, type BgNbdFit, type BgNbdParams } from './bgnbd.ts';
import { customerLifetimeValue, expectedAverageSpend, fitGammaGamma, type GammaGammaFit, type GammaGammaParams } from './gamma-gamma.ts';

/** Fewest customers BG/NBD (4 parameters) is fitted on. */
export const MIN_CUSTOMERS = 10;
/** Fewest returning customers Gamma-Gamma (3 parameters) is fitted on. */
export const MIN_RETURNING = 10;
/** Below this many customers the fit is reported as uncertain. */
export const FEW_CUSTOMERS = 200;

/** Messages of lifetime-value modelling (a clv node declares them all). */
export const lifetimeValueMessages = {
  tooFewCustomers: errorTemplate('BG/NBD needs at least {min} customers to fit its 4 parameters; there are {count}.'),
  allSinglePurchase: errorTemplate('All {count} customers bought in one period only (frequency 0): without repeat purchases neither the purchase rate nor the dropout can be estimated.'),
  badSummary: errorTemplate('Customer {id} has frequency {frequency}, recency {recency} and T {T}; the summary needs frequency ≥ 0, 0 ≤ recency ≤ T and recency 0 when frequency is 0.'),
  fewCustomers: warningTemplate('Only {count} customers: the fitted parameters are uncertain (see their standard errors).'),
  singlePurchase: warningTemplate('{count} of {total} customers bought in one period only (frequency 0); they are scored from the population parameters.'),
  nonPositiveSpend: warningTemplate('{count} returning customers have a mean spend of 0 or less (such as customer {id} with {value}); they are left out of the Gamma-Gamma fit and get the population mean spend.'),
  noSpendModel: warningTemplate('Only {count} returning customers with positive spend (at least {min} are needed): no Gamma-Gamma fit, so expected spend and CLV are empty.'),
  spendUndefined: warningTemplate('The Gamma-Gamma fit has q = {q} ≤ 1, so the mean spend is undefined: expected spend and CLV are empty.'),
  notConverged: warningTemplate('The {model} fit did not converge in {iterations} iterations (largest gradient {gradient}); treat its parameters with care.'),
  noStandardErrors: warningTemplate('The {model} Hessian is not positive definite at the optimum, so its standard errors are empty.'),
  dropoutBoundary: warningTemplate('The dropout estimate ran to its boundary (a = {a}, b = {b}): these data show almost no dropout, so P(alive) is near 1 for everyone. A penalizer (e.g. 0.001) keeps a and b finite.'),
  predictionFailed: warningTemplate('{count} customers (such as {id}) got no expected purchases: the hypergeometric series did not converge.'),
} satisfies KernelMessages;

/** Per-customer summaries the models read (same length, one time unit). */
export interface CustomerSummaries {
  /** Customer keys. */
  ids: readonly string[];
  /** Repeat purchase periods. */
  frequency: Float64Array;
  /** First to last purchase, in units. */
  recency: Float64Array;
  /** First purchase to the calibration end, in units. */
  T: Float64Array;
  /** Mean repeat spend (0 when frequency is 0). */
  monetary: Float64Array;
}

/** The fitted models. */
export interface LifetimeValueModel {
  /** BG/NBD fit. */
  bgnbd: BgNbdFit;
  /** Gamma-Gamma fit, null when there were too few returning customers with positive spend. */
  gammaGamma: GammaGammaFit | null;
}

/** Checks summaries before fitting or scoring; throws the declared badSummary error. */
export function checkSummaries(s: CustomerSummaries): void {
  for (let i = 0; i < s.ids.length; i++) {
    const x = s.frequency[i]!;
    const t = s.recency[i]!;
    const T = s.T[i]!;
    const ok = Number.isFinite(x) && Number.isFinite(t) && Number.isFinite(T) && x >= 0 && t >= 0 && t <= T * (1 + 1e-12) && (x > 0 || t === 0);
    if (!ok) throw new DataError(lifetimeValueMessages, 'badSummary', { id: s.ids[i] ?? String(i), frequency: x, recency: t, T });
  }
}

/**
 * Fits BG/NBD and Gamma-Gamma (see the file header), with notes for a person. `penalizer` is
 * lifetimes' penalizer_coef for BG/NBD only: Gamma-Gamma's v is on the scale of money, where the
 * same L2 penalty would swamp the likelihood (measured on Online Retail: q fell below 1).
 */
export function fitLifetimeValue(s: CustomerSummaries, penalizer = 0): { model: LifetimeValueModel; notes: DataNote[] } {
  checkSummaries(s);
  const n = s.ids.length;
  const notes: DataNote[] = [];
  if (n < MIN_CUSTOMERS) throw new DataError(lifetimeValueMessages, 'tooFewCustomers', { min: MIN_CUSTOMERS, count: n });
  let single = 0;
  for (let i = 0; i < n; i++) if (s.frequency[i] === 0) single++;
  if (single === n) throw new DataError(lifetimeValueMessages, 'allSinglePurchase', { count: n });
  if (n < FEW_CUSTOMERS) notes.push({ code: 'fewCustomers', values: { count: n } });
  if (single > 0) notes.push({ code: 'singlePurchase', values: { count: single, total: n } });
  const bgnbd = fitBgNbd(s, { penalizer });
  if (!bgnbd.converged) notes.push({ code: 'notConverged', values: { model: 'BG/NBD', iterations: bgnbd.iterations, gradient: 'above 1e-5' } });
  if (Object.values(bgnbd.standardErrors).some((v) => !Number.isFinite(v))) notes.push({ code: 'noStandardErrors', values: { model: 'BG/NBD' } });
  // A dropout Beta with a → 0 and b → ∞ means "nobody drops out" (the NBD limit): say so.
  if (bgnbd.params.a < 1e-3 || bgnbd.params.b > 1e3) notes.push({ code: 'dropoutBoundary', values: { a: Number(bgnbd.params.a.toPrecision(3)), b: Number(bgnbd.params.b.toPrecision(3)) } });

  const keep: number[] = [];
  let nonPositive = 0;
  let example = -1;
  for (let i = 0; i < n; i++) {
    if (!(s.frequency[i]! > 0)) continue;
    const m = s.monetary[i]!;
    if (m > 0 && Number.isFinite(m)) keep.push(i);
    else {
      nonPositive++;
      if (example < 0) example = i;
    }
  }
  if (nonPositive > 0) notes.push({ code: 'nonPositiveSpend', values: { count: nonPositive, id: s.ids[example]!, value: s.monetary[example]! } });
  let gammaGamma: GammaGammaFit | null = null;
  if (keep.length < MIN_RETURNING) notes.push({ code: 'noSpendModel', values: { count: keep.length, min: MIN_RETURNING } });
  else {
    gammaGamma = fitGammaGamma(Float64Array.from(keep, (i) => s.frequency[i]!), Float64Array.from(keep, (i) => s.monetary[i]!));
    if (!gammaGamma.converged) notes.push({ code: 'notConverged', values: { model: 'Gamma-Gamma', iterations: gammaGamma.iterations, gradient: 'above 1e-5' } });
    if (Object.values(gammaGamma.standardErrors).some((v) => !Number.isFinite(v))) notes.push({ code: 'noStandardErrors', values: { model: 'Gamma-Gamma' } });
  }
  return { model: { bgnbd, gammaGamma }, notes };
}

/** Scoring options. */
export interface ScoreOptions {
  /** Horizon of expected purchases and P(≥ 1 purchase), in units. */
  horizon: number;
  /** Months of CLV. */
  months: number;
  /** Monthly discount rate. */
  discountRate: number;
  /** Units in one month (lifetimes: day 30, week 4.345, month 1). */
  periodsPerMonth: number;
}

/** Per-customer scores; NaN where undefined (no spend model, series not converged). */
export interface CustomerScores {
  /** P(alive at the calibration end). */
  pAlive: Float64Array;
  /** Expected purchases in the horizon. */
  expectedPurchases: Float64Array;
  /** P(at least one purchase in the horizon). */
  pAnyPurchase: Float64Array;
  /** Expected average spend per purchase. */
  expectedSpend: Float64Array;
  /** CLV over the months, discounted. */
  clv: Float64Array;
}

/** The parameters scoring needs (a fit, or a saved model applied to new customers). */
export interface LifetimeValueParams {
  /** BG/NBD parameters. */
  bgnbd: BgNbdParams;
  /** Gamma-Gamma parameters, null for no spend model. */
  gammaGamma: GammaGammaParams | null;
}

/** The parameters of a fit. */
export function paramsOfModel(model: LifetimeValueModel): LifetimeValueParams {
  return { bgnbd: model.bgnbd.params, gammaGamma: model.gammaGamma?.params ?? null };
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Reads saved parameters from JSON (a model output's artifacts); null when they are not a CLV model. */
export function readLifetimeValueParams(value: unknown): LifetimeValueParams | null {
  if (typeof value !== 'object' || value === null) return null;
  const bg: unknown = Reflect.get(value, 'bgnbd');
  const gg: unknown = Reflect.get(value, 'gammaGamma');
  if (typeof bg !== 'object' || bg === null) return null;
  const r: unknown = Reflect.get(bg, 'r');
  const alpha: unknown = Reflect.get(bg, 'alpha');
  const a: unknown = Reflect.get(bg, 'a');
  const b: unknown = Reflect.get(bg, 'b');
  if (!positive(r) || !positive(alpha) || !positive(a) || !positive(b)) return null;
  let spend: GammaGammaParams | null = null;
  if (gg !== null) {
    if (typeof gg !== 'object' || gg === undefined) return null;
    const p: unknown = Reflect.get(gg, 'p');
    const q: unknown = Reflect.get(gg, 'q');
    const v: unknown = Reflect.get(gg, 'v');
    if (!positive(p) || !positive(q) || !positive(v)) return null;
    spend = { p, q, v };
  }
  return { bgnbd: { r, alpha, a, b }, gammaGamma: spend };
}

/** Scores customers with fitted parameters (see the file header). */
export function scoreLifetimeValue(model: LifetimeValueParams, s: CustomerSummaries, options: ScoreOptions): { scores: CustomerScores; notes: DataNote[] } {
  checkSummaries(s);
  const n = s.ids.length;
  const p = model.bgnbd;
  const gg = model.gammaGamma;
  const notes: DataNote[] = [];
  if (gg && !(gg.q > 1)) notes.push({ code: 'spendUndefined', values: { q: gg.q } });
  const scores: CustomerScores = { pAlive: new Float64Array(n), expectedPurchases: new Float64Array(n), pAnyPurchase: new Float64Array(n), expectedSpend: new Float64Array(n).fill(Number.NaN), clv: new Float64Array(n).fill(Number.NaN) };
  let failed = 0;
  let failedId = '';
  for (let i = 0; i < n; i++) {
    const x = s.frequency[i]!;
    const t = s.recency[i]!;
    const T = s.T[i]!;
    scores.pAlive[i] = probabilityAlive(p, x, t, T);
    const e = expectedPurchases(p, options.horizon, x, t, T);
    scores.expectedPurchases[i] = e;
    scores.pAnyPurchase[i] = probabilityAnyPurchase(p, options.horizon, x, t, T);
    if (Number.isNaN(e)) {
      failed++;
      failedId ||= s.ids[i]!;
    }
    if (gg && gg.q > 1) {
      // Customers left out of the spend fit (no positive mean) get the population mean.
      const m = s.monetary[i]!;
      const spend = expectedAverageSpend(gg, m > 0 ? x : 0, m);
      scores.expectedSpend[i] = spend;
      scores.clv[i] = customerLifetimeValue(p, spend, options.months, options.discountRate, options.periodsPerMonth, x, t, T);
    }
  }
  if (failed > 0) notes.push({ code: 'predictionFailed', values: { count: failed, id: failedId } });
  return { scores, notes };
}

/** The frequency/recency matrix: expected purchases in the horizon and P(alive) for a customer of age T. */
export interface FrequencyRecencyMatrix {
  /** Frequency of each cell. */
  frequency: Float64Array;
  /** Recency of each cell. */
  recency: Float64Array;
  /** Expected purchases in the horizon. */
  expectedPurchases: Float64Array;
  /** P(alive). */
  pAlive: Float64Array;
  /** The age T every cell assumes (the largest T seen). */
  T: number;
}

/** lifetimes' plot_frequency_recency_matrix grid: frequency 0..maxFrequency × recency 0..T in `recencySteps` steps. */
export function frequencyRecencyMatrix(p: BgNbdParams, T: number, maxFrequency: number, horizon: number, recencySteps = 24): FrequencyRecencyMatrix {
  const fs: number[] = [];
  const rs: number[] = [];
  const es: number[] = [];
  const as: number[] = [];
  for (let x = 0; x <= maxFrequency; x++) {
    for (let k = 0; k <= recencySteps; k++) {
      const t = (T * k) / recencySteps;
      // A customer with no repeat purchase has recency 0 only.
      if (x === 0 && k > 0) continue;
      fs.push(x);
      rs.push(t);
      es.push(expectedPurchases(p, horizon, x, t, T));
      as.push(probabilityAlive(p, x, t, T));
    }
  }
  return { frequency: Float64Array.from(fs), recency: Float64Array.from(rs), expectedPurchases: Float64Array.from(es), pAlive: Float64Array.from(as), T };
}

/** Calibration vs holdout by calibration frequency (the last row gathers frequency ≥ cap). */
export interface CalibrationHoldout {
  /** Calibration frequency of the row (cap means "cap or more"). */
  frequency: number[];
  /** Customers in the row. */
  customers: number[];
  /** Mean purchases they made in the holdout. */
  actual: number[];
  /** Mean purchases the model expected over the holdout. */
  predicted: number[];
}

/** lifetimes' plot_calibration_purchases_vs_holdout_purchases table. */
export function calibrationHoldout(frequency: Float64Array, holdout: Float64Array, predicted: Float64Array, cap = 7): CalibrationHoldout {
  const count = new Float64Array(cap + 1);
  const act = new Float64Array(cap + 1);
  const pred = new Float64Array(cap + 1);
  for (let i = 0; i < frequency.length; i++) {
    if (!Number.isFinite(predicted[i]!)) continue;
    const k = Math.min(cap, Math.floor(frequency[i]!));
    count[k]!++;
    act[k]! += holdout[i]!;
    pred[k]! += predicted[i]!;
  }
  const out: CalibrationHoldout = { frequency: [], customers: [], actual: [], predicted: [] };
  for (let k = 0; k <= cap; k++) {
    if (count[k] === 0) continue;
    out.frequency.push(k);
    out.customers.push(count[k]!);
    out.actual.push(act[k]! / count[k]!);
    out.predicted.push(pred[k]! / count[k]!);
  }
  return out;
}
