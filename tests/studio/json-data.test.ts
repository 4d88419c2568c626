import { describe, expect, it } from 'vitest';
import { asJsonValue, epochRecords, headline, jsonTable, pickColumn, scalars } from '../../src/studio/views/json-data.ts';

describe('json preview helpers', () => {
  it('reads a {columns, rows} table into records', () => {
    const t = jsonTable({ columns: ['fpr', 'tpr'], rows: [[0, 0], [0.5, 0.9]], totalRows: 2 });
    expect(t?.records).toEqual([{ fpr: 0, tpr: 0 }, { fpr: 0.5, tpr: 0.9 }]);
    expect(jsonTable({ columns: 'x' })).toBeUndefined();
    expect(jsonTable(null)).toBeUndefined();
  });

  it('types parsed JSON without trusting it', () => {
    expect(asJsonValue(JSON.parse('{"a":[1,"x",null,true],"b":{"c":2}}'))).toEqual({ a: [1, 'x', null, true], b: { c: 2 } });
    expect(asJsonValue({ f: () => 1, n: Number.NaN, u: undefined })).toEqual({ f: null, n: null, u: null });
  });

  it('picks the first candidate column that exists', () => {
    expect(pickColumn(['recall', 'precision'], ['fpr', 'recall'])).toBe('recall');
    expect(pickColumn(['a'], ['b'])).toBeUndefined();
  });

  it('keeps numbers and nulls as headline figures, nothing else', () => {
    expect(headline({ roc_auc: 0.81, n: 1000, note: 'x', baseline: null })).toEqual([['roc_auc', 0.81], ['n', 1000], ['baseline', null]]);
  });

  it('lists scalar fields with short numbers', () => {
    expect(scalars({ backend: 'webgpu', auc: 0.812345, epochs: 20, history: [1] })).toEqual([['backend', 'webgpu'], ['auc', '0.8123'], ['epochs', '20']]);
  });

  it('turns epoch records into long form, skipping nulls', () => {
    expect(epochRecords([{ epoch: 1, loss: 0.7, valLoss: null, fold: 2 }, { nope: 1 }])).toEqual([{ epoch: 1, series: 'loss', value: 0.7, fold: 2 }]);
  });
});
