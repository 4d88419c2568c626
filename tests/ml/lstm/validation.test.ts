import { beforeAll, describe, expect, it } from 'vitest';
import { LstmInputError } from '../../../src/ml/lstm/errors.ts';
import { meanBce, rocAuc } from '../../../src/ml/lstm/metrics.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import type { LstmOptions } from '../../../src/ml/lstm/types.ts';
import { crossValidateLstm, stratifiedHoldout, stratifiedKFold, subsetSequences } from '../../../src/ml/lstm/validation.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

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

  it('rejects fewer than 2 folds or more folds than rows, naming the parameter', () => {
    expect(() => stratifiedKFold(labels, 1, 1)).toThrow(new LstmInputError('folds', 'folds must be an integer ≥ 2, got 1.'));
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

describe('crossValidateLstm', () => {
  const data = syntheticSequences({ n: 90, steps: 4, features: 4 }, 5);
  const options: LstmOptions = {
    units: 6,
    layers: 1,
    dropout: 0,
    epochs: 3,
    batchSize: 16,
    learningRate: 0.02,
    patience: 0,
    classWeight: 'none',
    seed: 11,
    implementation: 'fast',
  };

  beforeAll(async () => {
    await selectBackend(['wasm']);
  });

  it('k-fold scores every row exactly once, out of fold, and tags the history with folds', async () => {
    const result = await crossValidateLstm(data, { ...options, validation: { kind: 'kfold', folds: 3 } });
    expect(result.models.length).toBe(3);
    expect(Array.from(result.scores).every((s) => s > 0 && s < 1)).toBe(true);
    expect(Array.from(result.folds).every((f) => f >= 0 && f < 3)).toBe(true);
    expect(result.history.map((h) => h.fold)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    // Each model's validation set is its own fold: its last val AUC matches the fold's scores.
    for (let f = 0; f < 3; f++) {
      const rows = Array.from(result.folds).flatMap((v, i) => (v === f ? [i] : []));
      const fold = subsetSequences(data, rows);
      const auc = rocAuc(Float32Array.from(rows, (r) => result.scores[r] as number), fold.labels);
      expect(result.history[f * 3 + 2]?.valAuc).toBeCloseTo(auc, 6);
    }
  });

  it('hold-out scores only the held-out rows and leaves NaN elsewhere', async () => {
    const result = await crossValidateLstm(data, { ...options, validation: { kind: 'holdout', fraction: 0.25 } });
    const held = Array.from(result.folds).filter((f) => f === 0).length;
    expect(held).toBe(23);
    expect(Array.from(result.folds).filter((f) => f === -1).length).toBe(90 - 23);
    result.folds.forEach((f, i) => expect(Number.isNaN(result.scores[i])).toBe(f === -1));
    expect(result.models.length).toBe(1);
  });

  it('with early stopping, monitors an inner split of the training rows, never the scored fold', async () => {
    const result = await crossValidateLstm(data, { ...options, epochs: 6, patience: 2, validation: { kind: 'kfold', folds: 3 } });
    expect(Array.from(result.scores).every(Number.isFinite)).toBe(true);
    result.models.forEach((model, f) => {
      const rows = Array.from(result.folds).flatMap((v, i) => (v === f ? [i] : []));
      const fold = subsetSequences(data, rows);
      const foldLoss = meanBce(Float32Array.from(rows, (r) => result.scores[r] as number), fold.labels);
      // The scores come from the restored best weights; had the fold been monitored, its
      // loss would equal the best epoch's recorded validation loss.
      const monitored = model.history[model.bestEpoch - 1]?.valLoss ?? Number.NaN;
      expect(Number.isFinite(monitored)).toBe(true);
      expect(Math.abs(monitored - foldLoss)).toBeGreaterThan(1e-4);
    });
  });

  it('without early stopping, the recorded validation loss is the scored fold\'s loss', async () => {
    const result = await crossValidateLstm(data, { ...options, validation: { kind: 'kfold', folds: 3 } });
    result.models.forEach((model, f) => {
      const rows = Array.from(result.folds).flatMap((v, i) => (v === f ? [i] : []));
      const foldLoss = meanBce(Float32Array.from(rows, (r) => result.scores[r] as number), subsetSequences(data, rows).labels);
      expect(model.history[model.history.length - 1]?.valLoss).toBeCloseTo(foldLoss, 5);
    });
  });

  it('is reproducible: the same seed gives the same out-of-fold scores', async () => {
    const a = await crossValidateLstm(data, { ...options, validation: { kind: 'kfold', folds: 3 } });
    const b = await crossValidateLstm(data, { ...options, validation: { kind: 'kfold', folds: 3 } });
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
  });
});
