/**
 * The tables a binary-classifier evaluation reports, as Arquero tables: ROC and PR curve
 * points, the confusion matrix, per-fold figures and calibration bins — each for the model and,
 * when given, its baseline (stacked, with a `model` column saying which).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { FOLD_METRICS, type BinaryMetrics, type FoldMetric } from './metrics.ts';

/** Snake-case names of the headline metrics, as they appear in summaries and tables. */
export const METRIC_NAMES: Record<FoldMetric, string> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  rocAuc: 'roc_auc',
  averagePrecision: 'pr_auc',
  logLoss: 'log_loss',
  brier: 'brier',
};

/** The number, or null when it is not finite (JSON and CSV have no NaN). */
export function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** ROC points of the model (and the baseline). */
export function curveTable(model: BinaryMetrics, baseline: BinaryMetrics | null): ColumnTable {
  const part = (label: string, m: BinaryMetrics) => {
    const count = m.roc.fpr.length;
    return {
      model: new Array<string>(count).fill(label),
      fpr: Array.from(m.roc.fpr),
      tpr: Array.from(m.roc.tpr),
      threshold: Array.from(m.roc.thresholds, (t) => finite(t)),
    };
  };
  return stack([part('model', model), ...(baseline ? [part('baseline', baseline)] : [])]);
}

/** Precision-recall points of the model (and the baseline). */
export function prTable(model: BinaryMetrics, baseline: BinaryMetrics | null): ColumnTable {
  const part = (label: string, m: BinaryMetrics) => {
    const count = m.pr.precision.length;
    return {
      model: new Array<string>(count).fill(label),
      recall: Array.from(m.pr.recall),
      precision: Array.from(m.pr.precision),
      // The last PR point (recall 0, precision 1) has no threshold.
      threshold: Array.from({ length: count }, (_, k) => (k < m.pr.thresholds.length ? finite(m.pr.thresholds[k] ?? Number.NaN) : null)),
    };
  };
  return stack([part('model', model), ...(baseline ? [part('baseline', baseline)] : [])]);
}

/** Concatenates column records with the same keys into one table. */
function stack(parts: Record<string, unknown[]>[]): ColumnTable {
  const first = parts[0];
  if (!first) return aq.table({});
  const out: Record<string, unknown[]> = {};
  for (const key of Object.keys(first)) out[key] = parts.flatMap((p) => p[key] ?? []);
  return aq.table(out);
}

/** The confusion matrix at each one's threshold, four rows per model. */
export function confusionTable(model: BinaryMetrics, baseline: BinaryMetrics | null): ColumnTable {
  const part = (label: string, m: BinaryMetrics) => ({
    model: [label, label, label, label],
    actual: [1, 1, 0, 0],
    predicted: [1, 0, 1, 0],
    count: [m.confusion.tp, m.confusion.fn, m.confusion.fp, m.confusion.tn],
    threshold: [m.confusion.threshold, m.confusion.threshold, m.confusion.threshold, m.confusion.threshold].map(finite),
  });
  return stack([part('model', model), ...(baseline ? [part('baseline', baseline)] : [])]);
}

/** One row per fold: n, positives and every headline metric. */
export function foldsTable(perFold: { fold: number; metrics: BinaryMetrics }[]): ColumnTable {
  const columns: Record<string, unknown[]> = {
    fold: perFold.map((p) => p.fold),
    n: perFold.map((p) => p.metrics.n),
    positives: perFold.map((p) => p.metrics.positives),
  };
  for (const key of FOLD_METRICS) columns[METRIC_NAMES[key]] = perFold.map((p) => finite(p.metrics[key]));
  return aq.table(columns);
}

/** Equal-width score bins: count, mean score and observed purchase rate per bin. */
export function calibrationTable(y: Float64Array, score: Float64Array, bins: number): ColumnTable {
  const count = new Array<number>(bins).fill(0);
  const sumScore = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < y.length; i++) {
    const s = score[i] ?? 0;
    const b = Math.min(bins - 1, Math.floor(s * bins));
    count[b] = (count[b] ?? 0) + 1;
    sumScore[b] = (sumScore[b] ?? 0) + s;
    sumY[b] = (sumY[b] ?? 0) + (y[i] ?? 0);
  }
  return aq.table({
    bin: count.map((_, b) => b),
    lower: count.map((_, b) => b / bins),
    upper: count.map((_, b) => (b + 1) / bins),
    count,
    mean_score: count.map((c, b) => (c > 0 ? (sumScore[b] ?? 0) / c : null)),
    observed_rate: count.map((c, b) => (c > 0 ? (sumY[b] ?? 0) / c : null)),
  });
}
