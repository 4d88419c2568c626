import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/gbdt.json';
import { applyBinEdges, binEdges, fitGbdt, GbdtTrainer, MISSING_BIN, predictGbdt, type GbdtTree } from '../../src/ml/gbdt.ts';
import { KernelInputError } from '../../src/ml/matrix.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { createRng } from '../../src/ml/random.ts';

const columnsOf = (rows: (number | null)[][]): Float64Array[] =>
  rows[0]!.map((_, j) => Float64Array.from(rows, (r) => r[j] ?? Number.NaN));

function leaves(tree: GbdtTree): number[] {
  const out: number[] = [];
  for (let i = 0; i < tree.left.length; i++) if (tree.left[i]! < 0) out.push(i);
  return out;
}

describe('binEdges and applyBinEdges (sklearn _BinMapper)', () => {
  it('cuts between distinct values when there are at most maxBins of them', () => {
    expect(Array.from(binEdges([3, 1, 2, 2, Number.NaN, 1], 255))).toEqual([1.5, 2.5]);
  });
  it('puts NaN in the missing bin and x ≤ edge in the lower bin', () => {
    expect(Array.from(applyBinEdges([1, 1.5, 2, Number.NaN, 9], Float64Array.of(1.5, 2.5)))).toEqual([0, 0, 1, MISSING_BIN, 2]);
  });
  it('uses midpoint percentiles when there are more distinct values than bins', () => {
    const edges = binEdges(Float64Array.from({ length: 101 }, (_, i) => i), 4);
    // np.percentile(range(101), [25, 50, 75], method='midpoint')
    expect(Array.from(edges)).toEqual([25, 50, 75]);
  });
});

describe(`fitGbdt matches scikit-learn ${fixture.sklearn} HistGradientBoostingClassifier`, () => {
  const x = columnsOf(fixture.X);
  for (const ref of fixture.cases) {
    const p = ref.params;
    it(`gives its probabilities within 1e-6 with ${JSON.stringify(p)}`, () => {
      const model = fitGbdt(x, fixture.y, {
        maxIter: p.max_iter, learningRate: p.learning_rate, maxLeafNodes: p.max_leaf_nodes ?? 1e9, maxDepth: p.max_depth ?? Infinity,
        minSamplesLeaf: p.min_samples_leaf, l2Regularization: p.l2_regularization, earlyStopping: false,
      });
      expect(model.trees.map((t) => leaves(t).length)).toEqual(ref.leaves);
      const prob = predictGbdt(model, x);
      let worst = 0;
      prob.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref.proba[i]!))));
      expect(worst).toBeLessThan(1e-6);
    });
  }
});

describe('GbdtTrainer trees', () => {
  const rng = createRng(11);
  const n = 2000;
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? Number.NaN : rng.normal()));
  const y = Uint8Array.from({ length: n }, (_, i) => (a[i]! + (Number.isNaN(b[i]!) ? 2 : 0) + 0.5 * rng.normal() > 0.8 ? 1 : 0));
  const model = fitGbdt([a, b], y, { maxIter: 30, maxLeafNodes: 15, minSamplesLeaf: 25, seed: 3 });

  it('keeps per-node counts and cover that add up from children to parents', () => {
    for (const t of model.trees) {
      expect(t.count[0]).toBe(n);
      for (let i = 0; i < t.left.length; i++) {
        if (t.left[i]! < 0) continue;
        expect(t.count[t.left[i]!]! + t.count[t.right[i]!]!).toBe(t.count[i]);
        expect(Math.abs(t.cover[t.left[i]!]! + t.cover[t.right[i]!]! - t.cover[i]!)).toBeLessThan(1e-6 * t.cover[i]!);
        expect(t.gain[i]).toBeGreaterThan(0);
      }
    }
  });
  it('respects maxLeafNodes and minSamplesLeaf', () => {
    for (const t of model.trees) {
      expect(leaves(t).length).toBeLessThanOrEqual(15);
      for (const l of leaves(t)) expect(t.count[l]).toBeGreaterThanOrEqual(25);
    }
  });
  it('learns that a missing value means a higher score', () => {
    const p = predictGbdt(model, [Float64Array.of(0, 0), Float64Array.of(Number.NaN, 0)]);
    expect(p[0]! - p[1]!).toBeGreaterThan(0.3);
  });
  it('separates the classes (training AUC above 0.9)', () => {
    expect(rocAuc(y, predictGbdt(model, [a, b]))).toBeGreaterThan(0.9);
  });
  it('records total gain per feature', () => {
    expect(model.featureGain[0]).toBeGreaterThan(0);
    expect(model.featureGain[1]).toBeGreaterThan(0);
  });
  it('stops early on a stratified inner split, with the same trees for the same seed', () => {
    const noise = Uint8Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const one = fitGbdt([a, b], noise, { maxIter: 200, earlyStopping: true, nIterNoChange: 5, seed: 9 });
    const two = fitGbdt([a, b], noise, { maxIter: 200, earlyStopping: true, nIterNoChange: 5, seed: 9 });
    expect(one.trees.length).toBeLessThan(200);
    expect(one.validationLoss.length).toBe(one.trees.length);
    expect(Array.from(predictGbdt(one, [a, b]))).toEqual(Array.from(predictGbdt(two, [a, b])));
  });
  it('steps one iteration at a time and reports it', () => {
    const trainer = new GbdtTrainer([a, b], y, { maxIter: 3 });
    expect(trainer.step()).toBe(true);
    expect(trainer.last()).toMatchObject({ iteration: 1, maxIter: 3 });
    trainer.step();
    expect(trainer.step()).toBe(false);
    expect(trainer.model().trees.length).toBe(3);
  });
  it('grows a tree in slices (the root, then one split each) that end in the same model as whole steps', () => {
    const sliced = new GbdtTrainer([a, b], y, { maxIter: 4, maxLeafNodes: 8 });
    const slices: string[] = [];
    for (let s = sliced.advance(); s !== 'done'; s = sliced.advance()) slices.push(s);
    const trees = slices.join(',').split('tree').filter((x) => x !== '');
    expect(slices.filter((s) => s === 'tree').length).toBe(4);
    // Up to 7 splits of 8 leaves and the root: at most 8 slices before each tree's end.
    for (const t of trees) expect(t.split(',').filter((x) => x === 'split').length).toBeLessThanOrEqual(8);
    expect(slices.length).toBeGreaterThan(8);
    const whole = fitGbdt([a, b], y, { maxIter: 4, maxLeafNodes: 8 });
    expect(Array.from(predictGbdt(sliced.model(), [a, b]))).toEqual(Array.from(predictGbdt(whole, [a, b])));
  });
  it('rejects a single class and labels other than 0/1', () => {
    expect(() => fitGbdt([a], new Uint8Array(n))).toThrow(KernelInputError);
    expect(() => fitGbdt([Float64Array.of(1, 2)], [0, 2])).toThrow(/row 1 is 2/);
  });
});

describe('the histogram kernel', () => {
  it('gives the same trees in WebAssembly and in its JavaScript twin', () => {
    const x = columnsOf(fixture.X);
    const options = { maxIter: 5, maxLeafNodes: 8, minSamplesLeaf: 10, earlyStopping: false as const };
    const native = new GbdtTrainer(x, fixture.y, options);
    const twin = new GbdtTrainer(x, fixture.y, { ...options, preferNative: false });
    while (native.step());
    while (twin.step());
    expect(Array.from(predictGbdt(native.model(), x))).toEqual(Array.from(predictGbdt(twin.model(), x)));
    expect([native.native, twin.native]).toEqual([true, false]);
    expect(native.model().trainLoss).toBeLessThan(Math.log(2));
  });
});
