/**
 * A model comparison (src/ml/compare.ts) as the Arquero tables Evaluate outputs: leaderboard,
 * overlaid ROC and PR points (a `model` column says which), lift by decile and paired AUC.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { finite, METRIC_NAMES } from './classifier-tables.ts';
import type { Comparison } from './compare.ts';
import { FOLD_METRICS } from './metrics.ts';

/** The comparison's tables, by name. */
export function comparisonTables(c: Comparison): Record<string, ColumnTable> {
  const lb = c.leaderboard;
  const stack = <K extends string>(parts: Record<K, unknown[]>[], keys: readonly K[]): ColumnTable =>
    aq.table(Object.fromEntries(keys.map((k) => [k, parts.flatMap((p) => p[k])])));
  return {
    leaderboard: aq.table({
      model: lb.map((r) => r.model),
      n: lb.map((r) => r.n),
      ...Object.fromEntries(FOLD_METRICS.map((k) => [METRIC_NAMES[k], lb.map((r) => finite(r.metrics[k]))])),
      threshold: lb.map((r) => finite(r.metrics.confusion.threshold)),
      roc_auc_fold_mean: lb.map((r) => finite(r.aucFoldMean)),
      roc_auc_fold_sd: lb.map((r) => finite(r.aucFoldSd)),
      folds: lb.map((r) => r.folds),
    }),
    compare_roc: stack(lb.map((r) => ({ model: new Array<string>(r.metrics.roc.fpr.length).fill(r.model), fpr: Array.from(r.metrics.roc.fpr), tpr: Array.from(r.metrics.roc.tpr) })), ['model', 'fpr', 'tpr']),
    compare_pr: stack(lb.map((r) => ({ model: new Array<string>(r.metrics.pr.recall.length).fill(r.model), recall: Array.from(r.metrics.pr.recall), precision: Array.from(r.metrics.pr.precision) })), ['model', 'recall', 'precision']),
    lift: aq.table({
      model: c.lift.map((r) => r.model),
      decile: c.lift.map((r) => r.decile),
      customers: c.lift.map((r) => r.customers),
      positives: c.lift.map((r) => r.positives),
      rate: c.lift.map((r) => finite(r.rate)),
      lift: c.lift.map((r) => finite(r.lift)),
      cumulative_gain: c.lift.map((r) => finite(r.cumulativeGain)),
    }),
    paired_auc: aq.table({
      model: c.paired.map((p) => p.model),
      versus: c.paired.map((p) => p.versus),
      auc_difference: c.paired.map((p) => finite(p.difference)),
      ci_low: c.paired.map((p) => finite(p.low)),
      ci_high: c.paired.map((p) => finite(p.high)),
      share_not_better: c.paired.map((p) => finite(p.shareNotBetter)),
      bootstrap: c.paired.map(() => c.bootstrap),
    }),
  };
}
