/**
 * Binary classification metrics on plain arrays, defined to equal scikit-learn's (checked
 * against sklearn 1.2.1 fixtures in tests/fixtures/sklearn to 1e-6).
 *
 * Conventions shared by every function here:
 * - `yTrue` holds 0/1 labels (1 = positive); `scores` hold any finite numbers where larger means
 *   "more likely positive" (probabilities for logLoss and brierScore, which require [0, 1]).
 * - A row is predicted positive when `score >= threshold`, the same semantics as the
 *   thresholds sklearn's roc_curve / precision_recall_curve return.
 * - Bad input throws KernelInputError: empty arrays ('empty'), length mismatch ('shape'), a
 *   label that is not 0/1 ('labels'), a NaN/Infinity score ('not-finite') or a probability
 *   outside [0, 1] ('range'); each message names the row.
 * - Single-class labels: ROC AUC and average precision are undefined. They come back as NaN,
 *   and binaryMetrics sets `singleClass: true` so the caller can say why. (sklearn raises for
 *   ROC AUC and, in 1.2, returns 0 with a warning for average precision without positives;
 *   we return NaN for both so an undefined number is never mistaken for a measured one.)
 * - Precision, recall and F1 with a zero denominator are 0 (sklearn's zero_division default).
 */
import { KernelInputError } from './matrix.ts';

/** Counts of a 2 × 2 confusion matrix at one threshold. */
export interface Confusion {
  /** Threshold used: predicted positive when score >= threshold. */
  threshold: number;
  /** True positives. */
  tp: number;
  /** False positives. */
  fp: number;
  /** True negatives. */
  tn: number;
  /** False negatives. */
  fn: number;
}

/** Points of a ROC curve as sklearn's roc_curve(drop_intermediate=True) returns them. */
export interface RocCurve {
  /** False-positive rate per point, rising from 0 to 1. */
  fpr: Float64Array;
  /** True-positive rate per point, rising from 0 to 1. */
  tpr: Float64Array;
  /** Threshold per point, falling; the first is +Infinity (the (0, 0) corner: nothing predicted positive). */
  thresholds: Float64Array;
}

/** Points of a precision-recall curve as sklearn's precision_recall_curve returns them. */
export interface PrCurve {
  /** Precision per point; the last point is the conventional (recall 0, precision 1). */
  precision: Float64Array;
  /** Recall per point, falling to 0. */
  recall: Float64Array;
  /** Threshold per point (one fewer than precision/recall), rising. */
  thresholds: Float64Array;
}

/** Everything the evaluate node shows for one set of predictions. */
export interface BinaryMetrics {
  /** Number of rows scored. */
  n: number;
  /** Number of positive labels. */
  positives: number;
  /** True when all labels are one class; rocAuc and averagePrecision are then NaN. */
  singleClass: boolean;
  /** How the threshold was chosen: a fixed value or the F1-maximising one. */
  thresholdRule: 'fixed' | 'max-f1';
  /** Confusion matrix at the chosen threshold. */
  confusion: Confusion;
  /** (tp + tn) / n at the chosen threshold. */
  accuracy: number;
  /** tp / (tp + fp) at the chosen threshold (0 when nothing is predicted positive). */
  precision: number;
  /** tp / (tp + fn) at the chosen threshold (0 without positives). */
  recall: number;
  /** 2tp / (2tp + fp + fn) at the chosen threshold (0 when the denominator is 0). */
  f1: number;
  /** Area under the ROC curve (trapezoids; ties count one half), NaN when single-class. */
  rocAuc: number;
  /** Average precision Σ (R_k − R_{k−1}) P_k = sklearn's average_precision_score, NaN when single-class. */
  averagePrecision: number;
  /** Mean cross-entropy with p clipped to [ε, 1 − ε], ε = 2^−52. */
  logLoss: number;
  /** Mean squared error of the probabilities, (1/n) Σ (p − y)². */
  brier: number;
  /** ROC curve points. */
  roc: RocCurve;
  /** Precision-recall curve points. */
  pr: PrCurve;
}

/** Names of the scalar entries of BinaryMetrics summarised across folds. */
export const FOLD_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'rocAuc',
  'averagePrecision',
  'logLoss',
  'brier',
] as const;

/** One of the scalar metric names. */
export type FoldMetric = (typeof FOLD_METRICS)[number];

/** Mean and spread of one metric across folds. */
export interface FoldSummary {
  /** Arithmetic mean over the folds where the metric is defined (not NaN). */
  mean: number;
  /** Population standard deviation (ddof = 0, as numpy's std) over the same folds. */
  std: number;
  /** Number of folds where the metric was defined. */
  defined: number;
  /** The per-fold values in fold order, NaN where undefined. */
  values: number[];
}

/** float64 machine epsilon, sklearn's log_loss clipping bound since 1.2 (eps="auto"). */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/** Checks labels are 0/1 and scores finite, of equal non-zero length; returns the positive count. */
export function checkBinaryInput(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (yTrue.length !== scores.length) {
    throw new KernelInputError('shape', `Labels have ${yTrue.length} rows but scores have ${scores.length}.`);
  }
  if (yTrue.length === 0) throw new KernelInputError('empty', 'No rows to evaluate: labels and scores are empty.');
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (y !== 0 && y !== 1) {
      throw new KernelInputError('labels', `Label at row ${i} is ${String(y)}; expected 0 or 1.`, i);
    }
    positives += y;
    const s = scores[i]!;
    if (!Number.isFinite(s)) throw new KernelInputError('not-finite', `Score at row ${i} is ${String(s)}.`, i);
  }
  return positives;
}

function checkProbabilities(scores: ArrayLike<number>): void {
  for (let i = 0; i < scores.length; i++) {
    const p = scores[i]!;
    if (p < 0 || p > 1) {
      throw new KernelInputError('range', `Probability at row ${i} is ${p}; expected a value in [0, 1].`, i);
    }
  }
}

/**
 * Cumulative counts at each distinct score, highest first (sklearn's _binary_clf_curve):
 * tps[k] / fps[k] = positives / negatives with score >= thresholds[k].
 */
export function binaryClfCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
): { tps: Float64Array; fps: Float64Array; thresholds: Float64Array } {
  checkBinaryInput(yTrue, scores);
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    tp += yTrue[i]!;
    const s = scores[i]!;
    // A point closes where the next (lower) score differs, so tied scores form one point.
    if (k === n - 1 || scores[order[k + 1]!]! !== s) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(s);
    }
  }
  return { tps: Float64Array.from(tps), fps: Float64Array.from(fps), thresholds: Float64Array.from(thresholds) };
}

/**
 * ROC curve points (sklearn roc_curve, drop_intermediate=True: points collinear with their
 * neighbours are dropped; the curve starts at (0, 0) with threshold +Infinity — sklearn ≥ 1.3
 * writes +inf there, 1.2 wrote max(score) + 1). fpr (tpr) is NaN throughout without negatives
 * (positives), as in sklearn.
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  return rocFromCounts(binaryClfCurve(yTrue, scores));
}

/** Cumulative counts per distinct score, as binaryClfCurve returns them. */
interface Counts {
  tps: Float64Array;
  fps: Float64Array;
  thresholds: Float64Array;
}

function rocFromCounts(curve: Counts): RocCurve {
  let { tps, fps, thresholds } = curve;
  const m = tps.length;
  if (m > 2) {
    const keep: number[] = [0];
    for (let k = 1; k < m - 1; k++) {
      // Second differences ≠ 0 mark a corner; a zero second difference is a collinear middle point.
      const d2f = fps[k + 1]! - 2 * fps[k]! + fps[k - 1]!;
      const d2t = tps[k + 1]! - 2 * tps[k]! + tps[k - 1]!;
      if (d2f !== 0 || d2t !== 0) keep.push(k);
    }
    keep.push(m - 1);
    tps = Float64Array.from(keep, (k) => curve.tps[k]!);
    fps = Float64Array.from(keep, (k) => curve.fps[k]!);
    thresholds = Float64Array.from(keep, (k) => curve.thresholds[k]!);
  }
  const size = tps.length + 1;
  const fpr = new Float64Array(size);
  const tpr = new Float64Array(size);
  const th = new Float64Array(size);
  const totalF = fps[fps.length - 1]!;
  const totalT = tps[tps.length - 1]!;
  th[0] = Number.POSITIVE_INFINITY;
  fpr[0] = totalF > 0 ? 0 : Number.NaN;
  tpr[0] = totalT > 0 ? 0 : Number.NaN;
  for (let k = 1; k < size; k++) {
    fpr[k] = totalF > 0 ? fps[k - 1]! / totalF : Number.NaN;
    tpr[k] = totalT > 0 ? tps[k - 1]! / totalT : Number.NaN;
    th[k] = thresholds[k - 1]!;
  }
  return { fpr, tpr, thresholds: th };
}

/**
 * Precision-recall curve (sklearn 1.2 precision_recall_curve): one point per distinct score,
 * ordered by rising threshold, then the point (recall 0, precision 1). Precision with no
 * predicted positives is 0; without positive labels recall is 1 everywhere (sklearn's choice).
 */
export function precisionRecallCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  return prFromCounts(binaryClfCurve(yTrue, scores));
}

function prFromCounts({ tps, fps, thresholds }: Counts): PrCurve {
  const m = tps.length;
  const totalT = tps[m - 1]!;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const src = m - 1 - k;
    const predicted = tps[src]! + fps[src]!;
    precision[k] = predicted > 0 ? tps[src]! / predicted : 0;
    recall[k] = totalT > 0 ? tps[src]! / totalT : 1;
    th[k] = thresholds[src]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/** Trapezoidal area under a curve given by points (x, y) in order (numpy.trapz). */
export function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let k = 1; k < x.length; k++) area += ((x[k]! - x[k - 1]!) * (y[k]! + y[k - 1]!)) / 2;
  return area;
}

/**
 * ROC AUC = trapezoidal area under rocCurve; equals P(score⁺ > score⁻) + ½ P(score⁺ = score⁻)
 * (ties count one half, as in sklearn's roc_auc_score). NaN when yTrue is single-class.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const positives = checkBinaryInput(yTrue, scores);
  if (positives === 0 || positives === yTrue.length) return Number.NaN;
  const { fpr, tpr } = rocCurve(yTrue, scores);
  return trapezoid(fpr, tpr);
}

/**
 * Average precision AP = Σ_k (R_k − R_{k−1}) · P_k over distinct thresholds, the step-wise
 * (not interpolated) PR AUC of sklearn's average_precision_score. NaN when single-class.
 */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const positives = checkBinaryInput(yTrue, scores);
  if (positives === 0 || positives === yTrue.length) return Number.NaN;
  return apFromPr(precisionRecallCurve(yTrue, scores));
}

function apFromPr({ precision, recall }: PrCurve): number {
  let ap = 0;
  for (let k = 0; k < recall.length - 1; k++) ap -= (recall[k + 1]! - recall[k]!) * precision[k]!;
  return ap;
}

/**
 * Log loss −(1/n) Σ [y ln q₁ + (1 − y) ln q₀] with q₁ = clip(p, ε, 1 − ε), q₀ = 1 − q₁, both
 * renormalised to sum 1 (sklearn log_loss with labels=[0, 1]; ε = float64 epsilon, sklearn ≥ 1.2).
 */
export function logLoss(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkBinaryInput(yTrue, probabilities);
  checkProbabilities(probabilities);
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p1 = Math.min(Math.max(probabilities[i]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    const p0 = 1 - p1;
    const sum = p0 + p1;
    total -= yTrue[i] === 1 ? Math.log(p1 / sum) : Math.log(p0 / sum);
  }
  return total / yTrue.length;
}

/** Brier score (1/n) Σ (p − y)² (sklearn brier_score_loss). */
export function brierScore(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkBinaryInput(yTrue, probabilities);
  checkProbabilities(probabilities);
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const e = probabilities[i]! - yTrue[i]!;
    total += e * e;
  }
  return total / yTrue.length;
}

/** Confusion matrix when rows with score >= threshold are predicted positive. */
export function confusionAt(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): Confusion {
  checkBinaryInput(yTrue, scores);
  if (Number.isNaN(threshold)) throw new KernelInputError('option', 'Threshold is NaN; expected a number.');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (yTrue[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return { threshold, tp, fp, tn, fn };
}

/** Accuracy, precision, recall and F1 from confusion counts (0 where a denominator is 0). */
export function rates(c: Confusion): { accuracy: number; precision: number; recall: number; f1: number } {
  const n = c.tp + c.fp + c.tn + c.fn;
  return {
    accuracy: n > 0 ? (c.tp + c.tn) / n : 0,
    precision: c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0,
    recall: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0,
    f1: 2 * c.tp + c.fp + c.fn > 0 ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : 0,
  };
}

/**
 * The threshold among the distinct scores that maximises F1 = 2tp / (2tp + fp + fn); ties go
 * to the highest such threshold (fewest rows flagged). Without positives every F1 is 0 and the
 * highest score is returned.
 */
export function maxF1Threshold(yTrue: ArrayLike<number>, scores: ArrayLike<number>): { threshold: number; f1: number } {
  return maxF1FromCounts(binaryClfCurve(yTrue, scores));
}

function maxF1FromCounts({ tps, fps, thresholds }: Counts): { threshold: number; f1: number } {
  const totalT = tps[tps.length - 1]!;
  let best = 0;
  let bestF1 = -1;
  for (let k = 0; k < tps.length; k++) {
    const denominator = tps[k]! + fps[k]! + totalT;
    const f1 = denominator > 0 ? (2 * tps[k]!) / denominator : 0;
    if (f1 > bestF1) {
      bestF1 = f1;
      best = k;
    }
  }
  return { threshold: thresholds[best]!, f1: bestF1 };
}

/** Options for binaryMetrics. */
export interface BinaryMetricsOptions {
  /** A fixed threshold (default 0.5) or 'max-f1' for the F1-maximising one. */
  threshold?: number | 'max-f1';
}

/** Every metric of BinaryMetrics for one set of 0/1 labels and probabilities. */
export function binaryMetrics(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  options: BinaryMetricsOptions = {},
): BinaryMetrics {
  const positives = checkBinaryInput(yTrue, probabilities);
  checkProbabilities(probabilities);
  const rule = options.threshold ?? 0.5;
  // One sort serves every curve and ranking metric.
  const counts = binaryClfCurve(yTrue, probabilities);
  const threshold = rule === 'max-f1' ? maxF1FromCounts(counts).threshold : rule;
  const confusion = confusionAt(yTrue, probabilities, threshold);
  const singleClass = positives === 0 || positives === yTrue.length;
  const roc = rocFromCounts(counts);
  const pr = prFromCounts(counts);
  return {
    n: yTrue.length,
    positives,
    singleClass,
    thresholdRule: rule === 'max-f1' ? 'max-f1' : 'fixed',
    confusion,
    ...rates(confusion),
    rocAuc: singleClass ? Number.NaN : trapezoid(roc.fpr, roc.tpr),
    averagePrecision: singleClass ? Number.NaN : apFromPr(pr),
    logLoss: logLoss(yTrue, probabilities),
    brier: brierScore(yTrue, probabilities),
    roc,
    pr,
  };
}

/** Mean ± population std of each scalar metric across folds; NaN (undefined) folds are skipped and counted out. */
export function summariseFolds(folds: readonly BinaryMetrics[]): Record<FoldMetric, FoldSummary> {
  const summary = (name: FoldMetric): FoldSummary => {
    const values = folds.map((f) => f[name]);
    const defined = values.filter((v) => !Number.isNaN(v));
    const mean = defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : Number.NaN;
    const variance =
      defined.length > 0 ? defined.reduce((a, b) => a + (b - mean) * (b - mean), 0) / defined.length : Number.NaN;
    return { mean, std: Math.sqrt(variance), defined: defined.length, values };
  };
  return {
    accuracy: summary('accuracy'),
    precision: summary('precision'),
    recall: summary('recall'),
    f1: summary('f1'),
    rocAuc: summary('rocAuc'),
    averagePrecision: summary('averagePrecision'),
    logLoss: summary('logLoss'),
    brier: summary('brier'),
  };
}
