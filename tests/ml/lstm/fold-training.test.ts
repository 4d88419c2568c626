import { beforeAll, describe, expect, it } from 'vitest';
import { fitScaler } from '../../../src/data/sequences.ts';
import { inProcessPool } from '../../../src/engine/parallel.ts';
import { LstmInputError } from '../../../src/ml/lstm/errors.ts';
import { labelledRows, trainLstmFolds, type LstmFoldSpec } from '../../../src/ml/lstm/fold-training.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import type { LstmOptions } from '../../../src/ml/lstm/types.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

const options: LstmOptions = { units: 4, layers: 1, dropout: 0, epochs: 2, batchSize: 16, learningRate: 0.01, patience: 0, classWeight: 'none', seed: 5, implementation: 'fast' };
const base = syntheticSequences({ n: 90, steps: 4, features: 4 }, 2);
// The last 6 rows are unlabelled.
const data = { ...base, labels: Float32Array.from(base.labels, (y, i) => (i >= 84 ? Number.NaN : y)) };

function spec(over: Partial<LstmFoldSpec> = {}): LstmFoldSpec {
  return { data, ids: Array.from({ length: data.n }, (_, i) => `c${i}`), splitSeed: 11, scaling: 'standard', options, scheme: { kind: 'kfold', folds: 3 }, earlyStoppingShare: 0.2, finalModel: false, backend: 'wasm', pool: inProcessPool, signal: new AbortController().signal, ...over };
}

describe('labelledRows', () => {
  it('keeps rows labelled 0 or 1 apart from the rest and counts the positives', () => {
    expect(labelledRows([1, 0, Number.NaN, 1, 0.5, 0])).toEqual({ labelled: [0, 1, 3, 5], unlabelled: [2, 4], positives: 2 });
  });
});

describe('trainLstmFolds', () => {
  beforeAll(async () => {
    await selectBackend(['wasm']);
  });

  it('scores every labelled row out of fold in stratified folds, and the unlabelled rows with fold 1’s model when there is no final model', async () => {
    const epochs: number[] = [];
    const result = await trainLstmFolds(spec({ onEpoch: (fold) => epochs.push(fold) }));
    expect(result.labelled).toEqual(Array.from({ length: 84 }, (_, i) => i));
    const folds = Array.from(result.fold.slice(0, 84));
    expect([0, 1, 2].map((f) => folds.filter((x) => x === f).length)).toEqual([28, 28, 28]);
    const positives = [0, 1, 2].map((f) => folds.filter((x, i) => x === f && data.labels[i] === 1).length);
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1);
    expect(Array.from(result.fold.slice(84))).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(Array.from(result.score).every((s) => s > 0 && s < 1)).toBe(true);
    expect(result.final).toBeNull();
    expect(result.output).toBe(result.folds[0]);
    expect(result.scoredRows).toHaveLength(84);
    // Two epochs of each of the three folds, in fold order.
    expect(epochs).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('fits each fold’s scaler on that fold’s training rows only, and leaves the early-stopping slice out of it', async () => {
    const plain = await trainLstmFolds(spec({ finalModel: true }));
    for (const f of plain.folds) {
      const rows = f.plan.trainRows.map((j) => plain.labelled[j] ?? -1);
      expect(f.scaler).toEqual(fitScaler(data.x, data.n, data.steps, data.features, 'standard', rows));
    }
    expect(plain.final?.scaler.rows).toBe(84);
    expect(plain.output).toBe(plain.final);
    const watched = await trainLstmFolds(spec({ options: { ...options, patience: 1 } }));
    // 56 training rows per fold; a stratified 20% of them (11 or 12) watch early stopping.
    for (const f of watched.folds) {
      expect(f.scaler.rows).toBeGreaterThanOrEqual(44);
      expect(f.scaler.rows).toBeLessThanOrEqual(45);
    }
  });

  it('gives the same folds and scores twice from the same seed', async () => {
    const a = await trainLstmFolds(spec());
    const b = await trainLstmFolds(spec());
    expect(Array.from(b.fold)).toEqual(Array.from(a.fold));
    expect(Array.from(b.score)).toEqual(Array.from(a.score));
  });

  it('rejects a training that cannot run with LstmInputError naming the option', async () => {
    await expect(trainLstmFolds(spec({ options: { ...options, units: 0 } }))).rejects.toSatisfy((e) => e instanceof LstmInputError && e.param === 'units');
  });
});
