/**
 * A fixed-weight ensemble of models' out-of-fold scores (the mean-rank fusion of KNIME's
 * Prediction Fusion and of rank averaging in Kaggle-style blends): on the customers every model
 * scored, each model's scores become ranks (ties share their mean rank), the ranks are averaged
 * with equal weights, and customers are ordered by that mean. Nothing is fitted, so nothing of a
 * held-out fold's labels reaches the ensemble. So that thresholds, log loss and the Brier score
 * keep a meaning, the values handed out are the models' mean probabilities re-dealt in the
 * ensemble's order: the customer with the k-th lowest mean rank gets the k-th lowest mean
 * probability (ties in mean rank share the mean of their values). Its ranking, and so its ROC
 * AUC, is exactly the mean rank's.
 */
import { KernelInputError } from './matrix.ts';
import type { ScoredModel } from './compare.ts';

/** Mean ranks (1-based) of `values`, ties sharing the mean of their positions. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let end = k + 1;
    while (end < n && values[order[end]!] === values[order[k]!]) end++;
    const rank = (k + 1 + end) / 2;
    for (let j = k; j < end; j++) ranks[order[j]!] = rank;
    k = end;
  }
  return ranks;
}

/**
 * The mean-rank ensemble of `models` (two or more) as one more ScoredModel named `name`, on the
 * customers every model scored with a finite score and a 0/1 label, in the first model's order,
 * with the first model's labels and folds. Throws KernelInputError when fewer than two models
 * are given or no customer is shared.
 */
export function meanRankEnsemble(models: readonly ScoredModel[], name: string): ScoredModel {
  if (models.length < 2) throw new KernelInputError('empty', 'An ensemble needs at least two models.');
  const maps = models.map((m) => {
    const at = new Map<string, number>();
    m.ids.forEach((id, i) => {
      const y = m.label[i];
      if (Number.isFinite(m.score[i]) && (y === 0 || y === 1) && !at.has(id)) at.set(id, i);
    });
    return at;
  });
  const first = models[0]!;
  const rows = [...maps[0]!].filter(([id]) => maps.every((m) => m.has(id)));
  if (rows.length === 0) throw new KernelInputError('empty', `No customer is scored (with a label) by every model: ${models.map((m) => m.name).join(', ')}.`);
  const n = rows.length;
  // Rank sums (whole or half numbers, so exact): the same order as the mean rank, ties exactly equal.
  const rankSum = new Float64Array(n);
  const meanScore = new Float64Array(n);
  models.forEach((m, k) => {
    const s = Float64Array.from(rows, ([id]) => m.score[maps[k]!.get(id)!]!);
    const r = averageRanks(s);
    for (let i = 0; i < n; i++) {
      rankSum[i]! += r[i]!;
      meanScore[i]! += s[i]! / models.length;
    }
  });
  // Re-deal the sorted mean probabilities in mean-rank order; a run of equal mean ranks shares their mean.
  const dealt = Float64Array.from(meanScore).sort();
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rankSum[a]! - rankSum[b]!);
  const score = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let end = k + 1;
    while (end < n && rankSum[order[end]!] === rankSum[order[k]!]) end++;
    let sum = 0;
    for (let j = k; j < end; j++) sum += dealt[j]!;
    for (let j = k; j < end; j++) score[order[j]!] = sum / (end - k);
    k = end;
  }
  return {
    name,
    ids: rows.map(([id]) => id),
    score,
    label: Float64Array.from(rows, ([, i]) => first.label[i]!),
    fold: Int32Array.from(rows, ([, i]) => first.fold[i]!),
  };
}
