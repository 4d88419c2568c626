import { beforeAll, describe, expect, it } from 'vitest';
import { crossValidate, FoldSplitError, planFolds, stratifiedHoldout, stratifiedKFold, stratifiedKFoldByKey, type FoldPlan } from '../../src/ml/cross-validate.ts';
import { fitLstm, type LstmFitInput } from '../../src/ml/lstm/fit-task.ts';
import { meanBce, rocAuc } from '../../src/ml/lstm/metrics.ts';
import { subsetSequences } from '../../src/ml/lstm/subset.ts';
import { syntheticSequences } from '../../src/ml/lstm/synthetic.ts';
import type { LstmOptions, SequenceSet, TrainedLstm } from '../../src/ml/lstm/types.ts';
import { deriveSeed } from '../../src/ml/random.ts';
import { selectBackend } from '../../src/ml/tf-backend.ts';

const labelsOf = (pattern: number[]): Float32Array => Float32Array.from(pattern);

describe('stratifiedKFold', () => {
  const labels = labelsOf(Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0)));

  it('puts every row in exactly one of k folds, with fold sizes differing by at most one', () => {
    const folds = stratifiedKFold(labels, 5, 1);
    expect(folds.length).toBe(103);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((v) => v === f).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(103);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Array.from(folds).every((f) => f >= 0 && f < 5)).toBe(true);
  });

  it('keeps the class ratio in every fold (26 positives → 5 or 6 per fold)', () => {
    const folds = stratifiedKFold(labels, 5, 1);
    for (let f = 0; f < 5; f++) {
      const positives = Array.from(folds).filter((v, i) => v === f && labels[i] === 1).length;
      expect([5, 6]).toContain(positives);
    }
  });

  it('is seeded: the same seed gives the same folds, another seed other folds', () => {
    expect(Array.from(stratifiedKFold(labels, 4, 9))).toEqual(Array.from(stratifiedKFold(labels, 4, 9)));
    expect(Array.from(stratifiedKFold(labels, 4, 9))).not.toEqual(Array.from(stratifiedKFold(labels, 4, 10)));
  });

  it('assigns exactly the folds it always did (a frozen split of 12 rows, seed 42)', () => {
    const twelve = labelsOf([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
    // Frozen from the split as it was before it moved here (src/ml/lstm/validation.ts at 2aa9677).
    expect(Array.from(stratifiedKFold(twelve, 3, 42))).toEqual([1, 0, 1, 2, 1, 0, 0, 2, 0, 1, 2, 2]);
  });

  it('rejects fewer than 2 folds or more folds than rows, naming the parameter', () => {
    expect(() => stratifiedKFold(labels, 1, 1)).toThrow(new FoldSplitError('folds', 'folds must be an integer ≥ 2, got 1.'));
    expect(() => stratifiedKFold(labelsOf([0, 1]), 3, 1)).toThrow('folds (3) cannot exceed the number of rows (2).');
  });
});

describe('stratifiedHoldout', () => {
  it('holds out the given share of each class', () => {
    const labels = labelsOf(Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0)));
    const held = stratifiedHoldout(labels, 0.2, 3);
    expect(held.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Array.from(held).filter((h, i) => h === 1 && labels[i] === 1).length).toBe(6);
  });
});

describe('planFolds', () => {
  const labels = labelsOf(Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 1 : 0)));

  it('plans k fold trainings then the final model, with the seeds fold-<k> and final', () => {
    const { assignment, trainings } = planFolds(labels, { kind: 'kfold', folds: 4 }, 5, true);
    expect(Array.from(assignment)).toEqual(Array.from(stratifiedKFold(labels, 4, 5)));
    expect(trainings.map((t) => [t.fold, t.label, t.seed])).toEqual([
      [0, 'fold 1/4', deriveSeed(5, 'fold-0')],
      [1, 'fold 2/4', deriveSeed(5, 'fold-1')],
      [2, 'fold 3/4', deriveSeed(5, 'fold-2')],
      [3, 'fold 4/4', deriveSeed(5, 'fold-3')],
      [-1, 'final model', deriveSeed(5, 'final')],
    ]);
    for (const t of trainings.slice(0, 4)) {
      expect([...t.trainRows, ...t.testRows].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(t.testRows.every((r) => assignment[r] === t.fold)).toBe(true);
    }
    expect(trainings[4]?.trainRows.length).toBe(20);
    expect(trainings[4]?.testRows).toEqual([]);
  });

  it('plans a hold-out as fold 0 over the held rows, the rest marked −1', () => {
    const { assignment, trainings } = planFolds(labels, { kind: 'holdout', share: 0.25 }, 5, false);
    const held = stratifiedHoldout(labels, 0.25, 5);
    expect(Array.from(assignment)).toEqual(Array.from(held, (h) => (h === 1 ? 0 : -1)));
    expect(trainings.length).toBe(1);
    expect(trainings[0]?.label).toBe('hold-out');
    expect(trainings[0]?.testRows.length).toBe(held.reduce((a, b) => a + b, 0));
  });
});

describe('crossValidate with the LSTM and a per-fold scaler', () => {
  const data = syntheticSequences({ n: 90, steps: 4, features: 4 }, 5);
  const options: LstmOptions = { units: 6, layers: 1, dropout: 0, epochs: 3, batchSize: 16, learningRate: 0.02, patience: 0, classWeight: 'none', seed: 11, implementation: 'fast' };
  const per = data.steps * data.features;

  /** A mean-centring scaler fitted on the given rows: the prepare hook under test. */
  const centre = (rows: readonly number[]): { mean: Float64Array; apply(set: SequenceSet): SequenceSet } => {
    const mean = new Float64Array(per);
    for (const r of rows) for (let j = 0; j < per; j++) mean[j] = (mean[j] ?? 0) + (data.x[r * per + j] ?? 0) / rows.length;
    return { mean, apply: (set) => ({ ...set, x: Float32Array.from(set.x, (v, i) => v - (mean[i % per] ?? 0)) }) };
  };
  const fitted: { plan: FoldPlan; mean: Float64Array }[] = [];
  const run = (lstm: LstmOptions, scheme: { kind: 'kfold'; folds: number } | { kind: 'holdout'; share: number }, finalModel = false) =>
    crossValidate({
      labels: data.labels,
      scheme,
      seed: lstm.seed,
      finalModel,
      prepare: (plan): LstmFitInput => {
        const scaler = centre(plan.trainRows);
        fitted.push({ plan, mean: scaler.mean });
        const test = plan.testRows.length > 0 ? scaler.apply(subsetSequences(data, plan.testRows)) : null;
        return { train: scaler.apply(subsetSequences(data, plan.trainRows)), monitor: test, score: test, options: { ...lstm, seed: plan.seed }, backend: 'wasm' };
      },
      fitAll: async (jobs) => {
        const out: { model: TrainedLstm; scores: Float32Array | null }[] = [];
        for (const job of jobs) {
          const r = await fitLstm(job.prepared, () => undefined, new AbortController().signal);
          if (!r.ok) throw new Error(r.message);
          out.push(r);
        }
        return out;
      },
      testScores: (f) => f.scores ?? new Float32Array(0),
    });

  beforeAll(async () => {
    await selectBackend(['wasm']);
  });

  it('k-fold scores every row exactly once, out of fold, each fold\'s scaler fitted on its training rows only', async () => {
    fitted.length = 0;
    const result = await run(options, { kind: 'kfold', folds: 3 }, true);
    expect(result.folds.length).toBe(3);
    expect(result.final?.plan.fold).toBe(-1);
    expect(Array.from(result.scores).every((s) => s > 0 && s < 1)).toBe(true);
    expect(Array.from(result.assignment).every((f) => f >= 0 && f < 3)).toBe(true);
    expect(fitted.map((f) => f.plan.fold)).toEqual([0, 1, 2, -1]);
    for (const { plan, mean } of fitted) expect(Array.from(mean)).toEqual(Array.from(centre(plan.trainRows).mean));
    // A fold's scaler differs from one fitted on every row: the scored rows did not shape it.
    expect(Array.from(fitted[0]?.mean ?? [])).not.toEqual(Array.from(centre(Array.from({ length: 90 }, (_, i) => i)).mean));
    // Each model's validation set is its own fold: its last val AUC matches the fold's scores.
    for (const { plan, fitted: f } of result.folds) {
      const auc = rocAuc(Float32Array.from(plan.testRows, (r) => result.scores[r] ?? 0), subsetSequences(data, plan.testRows).labels);
      expect(f.model.history[2]?.valAuc).toBeCloseTo(auc, 6);
      const loss = meanBce(Float32Array.from(plan.testRows, (r) => result.scores[r] ?? 0), subsetSequences(data, plan.testRows).labels);
      expect(f.model.history[2]?.valLoss).toBeCloseTo(loss, 5);
    }
  });

  it('hold-out scores only the held-out rows and leaves NaN elsewhere', async () => {
    const result = await run(options, { kind: 'holdout', share: 0.25 });
    const held = Array.from(result.assignment).filter((f) => f === 0).length;
    expect(held).toBe(23);
    expect(Array.from(result.assignment).filter((f) => f === -1).length).toBe(90 - 23);
    result.assignment.forEach((f, i) => expect(Number.isNaN(result.scores[i])).toBe(f === -1));
    expect(result.folds.length).toBe(1);
    expect(result.final).toBeNull();
  });

  it('is reproducible: the same seed gives the same out-of-fold scores', async () => {
    const a = await run(options, { kind: 'kfold', folds: 3 });
    const b = await run(options, { kind: 'kfold', folds: 3 });
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
  });
});

describe('stratifiedKFoldByKey', () => {
  it('gives each key the same fold whatever the row order, stratified as stratifiedKFold', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const labels = keys.map((_, i) => (i % 4 === 0 ? 1 : 0));
    const a = stratifiedKFoldByKey(labels, keys, 3, 9);
    const rev = [...keys.keys()].reverse();
    const b = stratifiedKFoldByKey(rev.map((i) => labels[i] ?? 0), rev.map((i) => keys[i] ?? ''), 3, 9);
    rev.forEach((i, j) => expect(b[j]).toBe(a[i]));
    const sorted = [...keys.keys()].sort((x, y) => ((keys[x] ?? '') < (keys[y] ?? '') ? -1 : 1));
    const drawn = stratifiedKFold(sorted.map((i) => labels[i] ?? 0), 3, 9);
    sorted.forEach((i, j) => expect(a[i]).toBe(drawn[j]));
  });
});
