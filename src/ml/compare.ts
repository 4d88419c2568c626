/**
 * Model comparison on the same customers (Orange's Test & Score): a leaderboard of every
 * headline metric (src/ml/metrics.ts, scikit-learn's definitions) with per-fold mean ± sd,
 * ROC and PR curve points per model for overlaid plots, lift and cumulative gains by score
 * decile, and the paired ROC AUC difference of each model against the first with a seeded
 * bootstrap percentile interval (customers resampled with replacement, both models scored on
 * the same resample).
 */
import { KernelInputError } from './matrix.ts';
import { binaryMetrics, summariseFolds, type BinaryMetrics } from './metrics.ts';
import { createRng } from './random.ts';

/** One model's out-of-fold scores, aligned by customer id. */
export interface ScoredModel {
  /** Name shown in the leaderboard. */
  name: string;
  /** Customer ids. */
  ids: readonly string[];
  /** P(positive) per customer. */
  score: ArrayLike<number>;
  /** 0/1 label per customer. */
  label: ArrayLike<number>;
  /** Fold per customer (per-fold figures). */
  fold: ArrayLike<number>;
}

/** One leaderboard row. */
export interface LeaderboardRow {
  /** Model name. */
  model: string;
  /** Customers compared. */
  n: number;
  /** Headline metrics on all compared customers, at the threshold. */
  metrics: BinaryMetrics;
  /** Mean of ROC AUC over the model’s folds. */
  aucFoldMean: number;
  /** Population sd (ddof 0, as numpy) of ROC AUC over the folds. */
  aucFoldSd: number;
  /** Folds with both classes. */
  folds: number;
}

/** One lift row: a score decile of one model. */
export interface LiftRow {
  /** Model name. */
  model: string;
  /** 1 = the tenth of customers with the highest scores. */
  decile: number;
  /** Customers in the decile. */
  customers: number;
  /** Positives among them. */
  positives: number;
  /** positives / customers. */
  rate: number;
  /** rate / overall positive rate. */
  lift: number;
  /** Share of all positives found in deciles 1..this one. */
  cumulativeGain: number;
}

/** Paired AUC difference of a model against the reference (the first model). */
export interface PairedAuc {
  /** Model name. */
  model: string;
  /** Reference model name. */
  versus: string;
  /** AUC(model) − AUC(reference) on all compared customers. */
  difference: number;
  /** 2.5th percentile of the bootstrap differences. */
  low: number;
  /** 97.5th percentile. */
  high: number;
  /** Share of bootstrap differences ≤ 0 (a one-sided bootstrap p for "model is better"). */
  shareNotBetter: number;
}

/** Result of compareModels. */
export interface Comparison {
  /** Customers scored by every model (with a label), in the first model's order. */
  ids: string[];
  /** One row per model, input order. */
  leaderboard: LeaderboardRow[];
  /** Lift and gains by decile, per model. */
  lift: LiftRow[];
  /** Each model after the first against the first. */
  paired: PairedAuc[];
  /** Bootstrap resamples used. */
  bootstrap: number;
}

/** Options of compareModels. */
export interface CompareOptions {
  /** Threshold for accuracy/precision/recall/F1, or 'max-f1' per model. */
  threshold: number | 'max-f1';
  /** Bootstrap resamples for the paired AUC interval (0 = none). */
  bootstrap: number;
  /** Seed of the resamples. */
  seed: number;
}

/**
 * Weighted ROC AUC (Mann–Whitney with ties counted half) of rows taken in ascending score order
 * `order`, each with weight w (bootstrap counts). Ties are the runs of equal scores.
 */
function weightedAuc(order: Uint32Array, score: Float64Array, y: Float64Array, w: Float64Array): number {
  let negBelow = 0;
  let pairs = 0;
  let pos = 0;
  let neg = 0;
  let k = 0;
  const n = order.length;
  while (k < n) {
    let end = k;
    const s = score[order[k]!]!;
    let gp = 0;
    let gn = 0;
    while (end < n && score[order[end]!] === s) {
      const r = order[end]!;
      if (y[r] === 1) gp += w[r]!;
      else gn += w[r]!;
      end++;
    }
    pairs += gp * (negBelow + 0.5 * gn);
    negBelow += gn;
    pos += gp;
    neg += gn;
    k = end;
  }
  return pos > 0 && neg > 0 ? pairs / (pos * neg) : Number.NaN;
}

function ascending(score: Float64Array): Uint32Array {
  const order = Uint32Array.from({ length: score.length }, (_, i) => i);
  return order.sort((a, b) => score[a]! - score[b]!);
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Lift and cumulative gains by decile of descending score (ties in input order). */
export function liftByDecile(name: string, score: Float64Array, y: Float64Array): LiftRow[] {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]!;
  const overall = n > 0 ? total / n : Number.NaN;
  const rows: LiftRow[] = [];
  let found = 0;
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    let positives = 0;
    for (let k = from; k < to; k++) positives += y[order[k]!]!;
    found += positives;
    const customers = to - from;
    const rate = customers > 0 ? positives / customers : Number.NaN;
    rows.push({ model: name, decile: d + 1, customers, positives, rate, lift: rate / overall, cumulativeGain: total > 0 ? found / total : Number.NaN });
  }
  return rows;
}

/**
 * Compares models on the customers every one of them scored. Throws KernelInputError when
 * fewer than one model is given, no customer is shared, or two models disagree on a
 * customer's label (they would not be predicting the same thing).
 */
export function compareModels(models: readonly ScoredModel[], options: CompareOptions): Comparison {
  if (models.length === 0) throw new KernelInputError('empty', 'No model to compare.');
  const maps = models.map((m) => {
    const at = new Map<string, number>();
    m.ids.forEach((id, i) => {
      const s = m.score[i]!;
      const y = m.label[i]!;
      if (Number.isFinite(s) && (y === 0 || y === 1) && !at.has(id)) at.set(id, i);
    });
    return at;
  });
  const first = models[0]!;
  const ids: string[] = [];
  for (const [id, i] of maps[0]!) {
    if (!maps.every((m) => m.has(id))) continue;
    const y = first.label[i]!;
    models.forEach((m, k) => {
      const yk = m.label[maps[k]!.get(id)!]!;
      if (yk !== y) throw new KernelInputError('labels', `Customer ${id} has label ${y} in ${first.name} but ${yk} in ${m.name}.`);
    });
    ids.push(id);
  }
  if (ids.length === 0) throw new KernelInputError('empty', `No customer is scored (with a label) by every model: ${models.map((m) => m.name).join(', ')}.`);
  const y = Float64Array.from(ids, (id) => first.label[maps[0]!.get(id)!]!);
  const scores = models.map((m, k) => Float64Array.from(ids, (id) => m.score[maps[k]!.get(id)!]!));
  const folds = models.map((m, k) => Int32Array.from(ids, (id) => m.fold[maps[k]!.get(id)!]!));

  const leaderboard: LeaderboardRow[] = models.map((m, k) => {
    const score = scores[k]!;
    const metrics = binaryMetrics(y, score, { threshold: options.threshold });
    const perFold: BinaryMetrics[] = [];
    for (const f of [...new Set(folds[k]!)].sort((a, b) => a - b)) {
      const rows = ids.map((_, j) => j).filter((j) => folds[k]![j] === f);
      perFold.push(binaryMetrics(Float64Array.from(rows, (j) => y[j]!), Float64Array.from(rows, (j) => score[j]!), { threshold: metrics.confusion.threshold }));
    }
    const summary = summariseFolds(perFold);
    return { model: m.name, n: ids.length, metrics, aucFoldMean: summary.rocAuc.mean, aucFoldSd: summary.rocAuc.std, folds: summary.rocAuc.defined };
  });
  const lift = models.flatMap((m, k) => liftByDecile(m.name, scores[k]!, y));

  const n = ids.length;
  const B = Math.max(0, Math.floor(options.bootstrap));
  const orders = scores.map(ascending);
  const ones = new Float64Array(n).fill(1);
  const base = weightedAuc(orders[0]!, scores[0]!, y, ones);
  const diffs = models.slice(1).map(() => new Float64Array(B));
  const rng = createRng(options.seed);
  const w = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[rng.int(n)]! += 1;
    const ref = weightedAuc(orders[0]!, scores[0]!, y, w);
    for (let k = 1; k < models.length; k++) diffs[k - 1]![b] = weightedAuc(orders[k]!, scores[k]!, y, w) - ref;
  }
  const paired: PairedAuc[] = models.slice(1).map((m, k) => {
    const d = diffs[k]!.filter((v) => Number.isFinite(v)).sort();
    let notBetter = 0;
    for (const v of d) if (v <= 0) notBetter++;
    return {
      model: m.name,
      versus: first.name,
      difference: weightedAuc(orders[k + 1]!, scores[k + 1]!, y, ones) - base,
      low: percentile(d, 0.025),
      high: percentile(d, 0.975),
      shareNotBetter: d.length > 0 ? notBetter / d.length : Number.NaN,
    };
  });
  return { ids, leaderboard, lift, paired, bootstrap: B };
}

/**
 * A ScoredModel from the cells of a predictions table (id, score, label, fold). Rows without a
 * 0/1 label or with fold < 0 are left out (not scored out of fold); a score outside [0, 1] or a
 * label other than 0/1 throws KernelInputError naming the customer.
 */
export function scoredModel(name: string, id: ArrayLike<unknown>, score: ArrayLike<unknown>, label: ArrayLike<unknown>, fold: ArrayLike<unknown> | null): ScoredModel {
  const ids: string[] = [];
  const s: number[] = [];
  const y: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < id.length; i++) {
    const key = id[i] === null || id[i] === undefined ? '' : String(id[i]);
    const l = label[i];
    if (l === null || l === undefined || (typeof l === 'number' && Number.isNaN(l))) continue;
    if (l !== 0 && l !== 1) throw new KernelInputError('labels', `${name}: customer ${key} has label ${String(l)}; labels must be 0 or 1.`, i);
    const k = fold ? fold[i] : 0;
    if (typeof k !== 'number' || !(k >= 0)) continue;
    const v = score[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new KernelInputError('range', `${name}: customer ${key} has score ${String(v)}; scores must be probabilities between 0 and 1.`, i);
    ids.push(key);
    s.push(v);
    y.push(l);
    f.push(Math.floor(k));
  }
  return { name, ids, score: Float64Array.from(s), label: Float64Array.from(y), fold: Int32Array.from(f) };
}
