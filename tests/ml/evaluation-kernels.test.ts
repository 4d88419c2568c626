import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { calibrationTable, confusionTable, curveTable, finite, foldsTable } from '../../src/ml/classifier-tables.ts';
import { fitLogistic, predictLogistic } from '../../src/ml/logistic.ts';
import { baselineMatrix, outOfFoldScores, type BaselineSequences } from '../../src/ml/logistic-baseline.ts';
import { binaryMetrics } from '../../src/ml/metrics.ts';

const options = { baseline: 'auto' as const, featuresIdColumn: 'id', baselineColumns: [] };

/** Two customers, 2 steps × 2 features, where feature `age` is static (the same on each step). */
const sequences: BaselineSequences = {
  x: Float32Array.from([1, 30, 2, 30, 0, 50, 4, 50]),
  n: 2,
  steps: 2,
  features: 2,
  ids: ['a', 'b'],
  featureNames: ['orders', 'age'],
  meta: { staticFeatures: ['age'], activityFeatures: 1 },
};

describe('logistic baseline matrix', () => {
  it('takes the numeric columns of a features table by id, filling a missing value with the column mean', () => {
    const features = table({ id: ['b', 'a', 'c'], spend: [10, 20, 99], note: ['x', 'y', 'z'] });
    const m = baselineMatrix(['a', 'b', 'zz'], [0, 1, 2], undefined, features, options);
    expect(m).toEqual({ source: { values: Float64Array.from([20, 10, 15]), d: 1, names: ['spend'], kind: 'static features table' }, filled: 1 });
  });

  it('uses the static features of the sequences (last step), else log1p totals of the activity features', () => {
    expect(baselineMatrix(['b', 'a'], [0, 1], sequences, undefined, options)).toEqual({ source: { values: Float64Array.from([50, 30]), d: 1, names: ['age'], kind: 'static features of the sequences' }, filled: 0 });
    expect(baselineMatrix(['b', 'a'], [0, 1], sequences, undefined, { ...options, baseline: 'totals' })).toEqual({
      source: { values: Float64Array.from([Math.log1p(4), Math.log1p(3)]), d: 1, names: ['log1p(total orders)'], kind: 'sequence totals' },
      filled: 0,
    });
  });

  it('says why there is no baseline, and says nothing when auto finds nothing to use', () => {
    expect(baselineMatrix(['a'], [0], undefined, undefined, options)).toEqual({ source: null, reason: null });
    expect(baselineMatrix(['a'], [0], undefined, undefined, { ...options, baseline: 'static' })).toEqual({ source: null, reason: 'baseline "static" needs a features table or sequences with static features connected.' });
    expect(baselineMatrix(['q'], [0], sequences, undefined, options)).toEqual({ source: null, reason: '1 evaluated customers (e.g. q) are not in the connected sequences.' });
    expect(baselineMatrix(['a'], [0], undefined, table({ id: ['a'], name: ['x'] }), options)).toEqual({ source: null, reason: 'the features table has no numeric column besides the id.' });
  });
});

describe('out-of-fold logistic scores', () => {
  it('scores each fold with a model fitted on the other folds only', () => {
    const x = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.5, 0.7];
    const y = [0, 0, 1, 1, 0, 1, 0, 1];
    const fold = [0, 1, 0, 1, 0, 1, 0, 1];
    const rows = [0, 1, 2, 3, 4, 5, 6, 7];
    const source = { values: Float64Array.from(x), d: 1, names: ['x'], kind: 'test' };
    const result = outOfFoldScores(source, rows, rows, (r) => y[r]!, (r) => fold[r]!);
    if (!('scores' in result)) throw new Error(result.failed);
    for (const f of [0, 1]) {
      const train = rows.filter((r) => fold[r] !== f);
      const test = rows.filter((r) => fold[r] === f);
      const model = fitLogistic({ values: Float64Array.from(train, (r) => x[r]!), n: train.length, d: 1 }, Float64Array.from(train, (r) => y[r]!));
      const direct = predictLogistic(model, { values: Float64Array.from(test, (r) => x[r]!), n: test.length, d: 1 });
      test.forEach((r, k) => expect(result.scores[r]).toBeCloseTo(direct[k]!, 12));
    }
  });

  it('gives the logistic kernel\'s reason when a fold cannot be fitted', () => {
    // Fold 0 is scored by a model fitted on fold 1 alone, whose only label is 1.
    const source = { values: Float64Array.from([0, 1]), d: 1, names: ['x'], kind: 'test' };
    const result = outOfFoldScores(source, [0, 1], [0, 1], (r) => r, (r) => r);
    expect(result).toEqual({ failed: 'Logistic regression: all 1 training labels are 1; logistic regression needs both classes.' });
  });
});

describe('classifier tables', () => {
  const y = [0, 0, 1, 1];
  const p = [0.1, 0.6, 0.4, 0.9];
  const m = binaryMetrics(y, p, { threshold: 0.5 });

  it('stacks the model and the baseline in the confusion table, four rows each', () => {
    const t = confusionTable(m, m);
    expect(t.objects()).toEqual([
      { model: 'model', actual: 1, predicted: 1, count: 1, threshold: 0.5 },
      { model: 'model', actual: 1, predicted: 0, count: 1, threshold: 0.5 },
      { model: 'model', actual: 0, predicted: 1, count: 1, threshold: 0.5 },
      { model: 'model', actual: 0, predicted: 0, count: 1, threshold: 0.5 },
      { model: 'baseline', actual: 1, predicted: 1, count: 1, threshold: 0.5 },
      { model: 'baseline', actual: 1, predicted: 0, count: 1, threshold: 0.5 },
      { model: 'baseline', actual: 0, predicted: 1, count: 1, threshold: 0.5 },
      { model: 'baseline', actual: 0, predicted: 0, count: 1, threshold: 0.5 },
    ]);
    expect(curveTable(m, null).array('model')).toEqual(new Array(m.roc.fpr.length).fill('model'));
  });

  it('bins scores into equal-width calibration bins with the observed rate', () => {
    const t = calibrationTable(Float64Array.from(y), Float64Array.from(p), 2);
    expect(t.objects()).toEqual([
      { bin: 0, lower: 0, upper: 0.5, count: 2, mean_score: 0.25, observed_rate: 0.5 },
      { bin: 1, lower: 0.5, upper: 1, count: 2, mean_score: 0.75, observed_rate: 0.5 },
    ]);
  });

  it('writes one row per fold with every headline metric, non-finite figures as null', () => {
    const single = binaryMetrics([1, 1], [0.2, 0.9], { threshold: 0.5 });
    const t = foldsTable([{ fold: 0, metrics: m }, { fold: 1, metrics: single }]);
    expect(t.columnNames()).toEqual(['fold', 'n', 'positives', 'accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'brier']);
    expect(t.array('roc_auc')).toEqual([0.75, null]);
    expect([finite(Number.NaN), finite(Number.POSITIVE_INFINITY), finite(2)]).toEqual([null, null, 2]);
  });
});
