import { describe, expect, it } from 'vitest';
import { compareModels, liftByDecile, type ScoredModel } from '../../src/ml/compare.ts';
import { KernelInputError } from '../../src/ml/matrix.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { createRng } from '../../src/ml/random.ts';

const rng = createRng(21);
const n = 600;
const ids = Array.from({ length: n }, (_, i) => `c${i}`);
const label = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
const strong = Float64Array.from(label, (y) => 1 / (1 + Math.exp(-(2 * y - 1 + rng.normal()))));
const weak = Float64Array.from(label, (y) => 1 / (1 + Math.exp(-(0.3 * (2 * y - 1) + rng.normal()))));
const fold = Int32Array.from({ length: n }, (_, i) => i % 5);
const model = (name: string, score: Float64Array, order = ids.map((_, i) => i)): ScoredModel => ({
  name, ids: order.map((i) => ids[i]!), score: Float64Array.from(order, (i) => score[i]!), label: Float64Array.from(order, (i) => label[i]!), fold: Int32Array.from(order, (i) => fold[i]!),
});

describe('compareModels', () => {
  const reversed = ids.map((_, i) => n - 1 - i);
  const result = compareModels([model('trees', strong), model('lstm', weak, reversed)], { threshold: 0.5, bootstrap: 300, seed: 4 });

  it('aligns models by customer id, whatever their row order', () => {
    expect(result.ids.length).toBe(n);
    expect(result.leaderboard.map((r) => [r.model, r.n])).toEqual([['trees', n], ['lstm', n]]);
    expect(Math.abs(result.leaderboard[1]!.metrics.rocAuc - rocAuc(label, weak))).toBeLessThan(1e-12);
  });
  it('gives the paired AUC difference with a bootstrap interval around it', () => {
    const p = result.paired[0]!;
    expect(p.versus).toBe('trees');
    expect(Math.abs(p.difference - (rocAuc(label, weak) - rocAuc(label, strong)))).toBeLessThan(1e-12);
    expect(p.low).toBeLessThan(p.difference);
    expect(p.high).toBeGreaterThan(p.difference);
    expect(p.high).toBeLessThan(0);
    expect(p.shareNotBetter).toBe(1);
  });
  it('is reproducible from the seed', () => {
    const again = compareModels([model('trees', strong), model('lstm', weak, reversed)], { threshold: 0.5, bootstrap: 300, seed: 4 });
    expect(again.paired).toEqual(result.paired);
  });
  it('reports ROC AUC mean and sd over each model’s folds', () => {
    const row = result.leaderboard[0]!;
    expect(row.folds).toBe(5);
    const perFold = [0, 1, 2, 3, 4].map((f) => {
      const at = ids.map((_, i) => i).filter((i) => fold[i] === f);
      return rocAuc(Float64Array.from(at, (i) => label[i]!), Float64Array.from(at, (i) => strong[i]!));
    });
    const mean = perFold.reduce((a, b) => a + b, 0) / 5;
    expect(Math.abs(row.aucFoldMean - mean)).toBeLessThan(1e-12);
    expect(Math.abs(row.aucFoldSd - Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / 5))).toBeLessThan(1e-12);
  });
  it('compares only the customers every model scored', () => {
    const half = model('half', weak, ids.map((_, i) => i).filter((i) => i % 2 === 0));
    expect(compareModels([model('trees', strong), half], { threshold: 0.5, bootstrap: 0, seed: 1 }).ids.length).toBe(n / 2);
  });
  it('refuses models that disagree on a label, naming the customer', () => {
    const other = model('flipped', weak);
    const flipped: ScoredModel = { ...other, label: Float64Array.from(other.label, (y, i) => (i === 7 ? 1 - y : y)) };
    expect(() => compareModels([model('trees', strong), flipped], { threshold: 0.5, bootstrap: 0, seed: 1 })).toThrow(KernelInputError);
    expect(() => compareModels([model('trees', strong), flipped], { threshold: 0.5, bootstrap: 0, seed: 1 })).toThrow(/Customer c7/);
  });
});

describe('liftByDecile', () => {
  it('counts positives per tenth of descending score and the cumulative share found', () => {
    const score = Float64Array.from({ length: 20 }, (_, i) => 1 - i / 20);
    const y = Float64Array.from({ length: 20 }, (_, i) => (i < 4 || i === 10 ? 1 : 0));
    const rows = liftByDecile('m', score, y);
    expect(rows.map((r) => r.positives)).toEqual([2, 2, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(rows[0]).toEqual({ model: 'm', decile: 1, customers: 2, positives: 2, rate: 1, lift: 4, cumulativeGain: 0.4 });
    expect(rows[9]!.cumulativeGain).toBe(1);
  });
});
