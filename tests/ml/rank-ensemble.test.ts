import { describe, expect, it } from 'vitest';
import type { ScoredModel } from '../../src/ml/compare.ts';
import { KernelInputError } from '../../src/ml/matrix.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { createRng } from '../../src/ml/random.ts';
import { averageRanks, meanRankEnsemble } from '../../src/ml/rank-ensemble.ts';

const rng = createRng(33);
const n = 400;
const ids = Array.from({ length: n }, (_, i) => `c${i}`);
const label = Float64Array.from({ length: n }, () => (rng.next() < 0.35 ? 1 : 0));
// Three models with independent errors, one of them on a squeezed probability scale (as an LSTM's often is).
const a = Float64Array.from(label, (y) => 1 / (1 + Math.exp(-(0.8 * (2 * y - 1) + rng.normal()))));
const b = Float64Array.from(label, (y) => 0.4 + 0.1 / (1 + Math.exp(-(0.8 * (2 * y - 1) + rng.normal()))));
// Rounded to two decimals, so this model has many ties.
const c = Float64Array.from(label, (y) => Math.round(100 / (1 + Math.exp(-(0.5 * (2 * y - 1) + rng.normal())))) / 100);
const fold = Int32Array.from({ length: n }, (_, i) => i % 5);
const model = (name: string, score: Float64Array, order = ids.map((_, i) => i), labels = label): ScoredModel => ({
  name, ids: order.map((i) => ids[i]!), score: Float64Array.from(order, (i) => score[i]!), label: Float64Array.from(order, (i) => labels[i]!), fold: Int32Array.from(order, (i) => fold[i]!),
});

/** Mean rank by counting, the definition written out: rank = 1 + #below + (#equal − 1) / 2. */
function countedRank(values: ArrayLike<number>, i: number): number {
  let below = 0;
  let equal = 0;
  for (let j = 0; j < values.length; j++) {
    if (values[j]! < values[i]!) below++;
    else if (values[j] === values[i]) equal++;
  }
  return 1 + below + (equal - 1) / 2;
}

describe('averageRanks', () => {
  it('gives tied values the mean of their positions, as scipy.stats.rankdata does', () => {
    expect(Array.from(averageRanks([0.3, 0.1, 0.3, 0.9, 0.1, 0.3]))).toEqual([4, 1.5, 4, 6, 1.5, 4]);
    expect(Array.from(averageRanks([]))).toEqual([]);
  });
});

describe('meanRankEnsemble', () => {
  const reversed = ids.map((_, i) => n - 1 - i);
  const ensemble = meanRankEnsemble([model('lstm', a), model('trees', b, reversed), model('logistic', c)], 'ensemble (mean rank)');

  it('orders customers by the mean of their ranks under each model, whatever the models\' row order', () => {
    expect(ensemble.ids).toEqual(ids);
    const meanRank = Float64Array.from(ids, (_, i) => (countedRank(a, i) + countedRank(b, i) + countedRank(c, i)) / 3);
    expect(Math.abs(rocAuc(label, ensemble.score) - rocAuc(label, meanRank))).toBeLessThan(1e-12);
    // Every pair of customers is ordered (or tied) as their mean ranks are.
    for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) expect(Math.sign(ensemble.score[i]! - ensemble.score[j]!)).toBe(Math.sign(meanRank[i]! - meanRank[j]!));
  });
  it('beats its average member here, where the members\' errors are independent', () => {
    const members = (rocAuc(label, a) + rocAuc(label, b) + rocAuc(label, c)) / 3;
    expect(rocAuc(label, ensemble.score)).toBeGreaterThan(members + 0.02);
  });
  it('hands out the models\' mean probabilities, re-dealt in its order', () => {
    const mean = Float64Array.from(ids, (_, i) => (a[i]! + b[i]! + c[i]!) / 3).sort();
    const dealt = Float64Array.from(ensemble.score).sort();
    let sum = 0;
    let sumMean = 0;
    for (let i = 0; i < n; i++) {
      sum += dealt[i]!;
      sumMean += mean[i]!;
    }
    expect(Math.abs(sum - sumMean)).toBeLessThan(1e-9);
    // Without ties in the mean rank the values are exactly the sorted mean probabilities.
    const distinct = new Set(Array.from(ensemble.score)).size;
    expect(distinct).toBeGreaterThan(n * 0.9);
    expect(dealt[0]).toBeGreaterThanOrEqual(mean[0]!);
    expect(dealt[n - 1]).toBeLessThanOrEqual(mean[n - 1]!);
    for (const v of Array.from(ensemble.score)) expect(v >= 0 && v <= 1).toBe(true);
  });
  it('reads no label: flipping every label leaves its scores unchanged', () => {
    const flipped = Float64Array.from(label, (y) => 1 - y);
    const again = meanRankEnsemble([model('lstm', a, undefined, flipped), model('trees', b, reversed, flipped), model('logistic', c, undefined, flipped)], 'e');
    expect(Array.from(again.score)).toEqual(Array.from(ensemble.score));
  });
  it('keeps the customers every model scored, with the first model\'s labels and folds', () => {
    const some = ids.map((_, i) => i).filter((i) => i % 3 !== 0);
    const e = meanRankEnsemble([model('lstm', a), model('trees', b, some)], 'e');
    expect(e.ids).toEqual(some.map((i) => ids[i]!));
    expect(Array.from(e.label)).toEqual(some.map((i) => label[i]!));
    expect(Array.from(e.fold)).toEqual(some.map((i) => fold[i]!));
  });
  it('refuses one model alone and models that share no customer, naming them', () => {
    expect(() => meanRankEnsemble([model('lstm', a)], 'e')).toThrow(KernelInputError);
    expect(() => meanRankEnsemble([model('lstm', a, [0, 1]), model('trees', b, [2, 3])], 'e')).toThrow(/lstm, trees/);
  });
});
