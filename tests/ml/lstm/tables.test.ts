import { describe, expect, it } from 'vitest';
import { epochJson, lstmHistoryTable, lstmPredictionsTable } from '../../../src/ml/lstm/tables.ts';

describe('LSTM result tables', () => {
  it('writes predictions with a null label where it is not 0 or 1', () => {
    const t = lstmPredictionsTable(['a', 'b', 'c'], Float32Array.from([0.25, 0.5, 0.75]), Float32Array.from([1, Number.NaN, 0]), Int32Array.from([0, -1, 1]));
    expect(t.objects()).toEqual([
      { id: 'a', score: 0.25, label: 1, fold: 0 },
      { id: 'b', score: 0.5, label: null, fold: -1 },
      { id: 'c', score: 0.75, label: 0, fold: 1 },
    ]);
  });

  it('writes a history row per epoch with non-finite figures as null, and its JSON without seconds', () => {
    const record = { epoch: 1, loss: 0.6, valLoss: Number.NaN, accuracy: 0.7, valAccuracy: null, auc: 0.8, valAuc: null, seconds: 0.01 };
    expect(lstmHistoryTable([{ ...record, fold: -1 }]).objects()).toEqual([{ fold: -1, epoch: 1, loss: 0.6, val_loss: null, accuracy: 0.7, auc: 0.8, val_auc: null, seconds: 0.01 }]);
    expect(epochJson(record)).toEqual({ epoch: 1, loss: 0.6, valLoss: null, accuracy: 0.7, auc: 0.8, valAuc: null });
  });
});
