import { describe, expect, it } from 'vitest';
import { encodeForLinear, encodeForTrees, fitTabularEncoding, linearFeatureNames, tabularKind } from '../../src/ml/tabular.ts';

const table = [
  { name: 'tenure', values: [1, 5, null, 7, 2, 4] },
  { name: 'contract', values: ['monthly', 'yearly', 'monthly', null, 'monthly', 'two-year'] },
  { name: 'paperless', values: [true, false, true, true, null, false] },
  { name: 'signup', values: ['2024-01-01', '2024-01-03', '2024-01-02', null, '2024-01-01', '2024-01-05'] },
];

describe('tabularKind', () => {
  it('reads numbers, booleans, ISO dates and text as their kinds', () => {
    expect(table.map((c) => tabularKind(c.values))).toEqual(['number', 'category', 'boolean', 'date']);
  });
});

describe('fitTabularEncoding', () => {
  const { encoding, issues } = fitTabularEncoding(table, { maxLevels: 2, minLevelCount: 1 });
  it('keeps the most frequent levels up to the cap and folds the rest into other', () => {
    expect(encoding.columns[1]).toEqual({ name: 'contract', kind: 'category', mean: 0, hasMissing: true, levels: ['monthly', 'two-year'], otherCount: 1 });
    expect(issues).toEqual([{ code: 'rareLevels', column: 'contract', levels: 1, rows: 1 }]);
  });
  it('gives trees integer codes, dates as days and NaN for missing', () => {
    const { columns } = encodeForTrees(encoding, table, 6);
    expect(Array.from(columns[0]!)).toEqual([1, 5, Number.NaN, 7, 2, 4]);
    expect(Array.from(columns[1]!)).toEqual([0, 2, 0, Number.NaN, 0, 1]);
    expect(Array.from(columns[2]!)).toEqual([1, 0, 1, 1, Number.NaN, 0]);
    expect(columns[3]![1]! - columns[3]![0]!).toBe(2);
  });
  it('gives linear models one-hot levels, mean imputation and missing indicators', () => {
    expect(linearFeatureNames(encoding).names).toEqual([
      'tenure', 'tenure (missing)', 'contract=monthly', 'contract=two-year', 'contract=(other)', 'contract (missing)', 'paperless', 'paperless (missing)', 'signup', 'signup (missing)',
    ]);
    const m = encodeForLinear(encoding, table, 6);
    expect(m.d).toBe(10);
    // Row 2: tenure missing → mean of 1, 5, 7, 2, 4 = 3.8 and the indicator.
    expect(Array.from(m.values.subarray(2 * 10, 2 * 10 + 6))).toEqual([3.8, 1, 1, 0, 0, 0]);
    // Row 3: contract missing; row 1: yearly is "other".
    expect(Array.from(m.values.subarray(3 * 10 + 2, 3 * 10 + 6))).toEqual([0, 0, 0, 1]);
    expect(Array.from(m.values.subarray(1 * 10 + 2, 1 * 10 + 6))).toEqual([0, 0, 1, 0]);
  });
  it('leaves out an all-missing column and an id-like column, naming them', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `cust-${i}`);
    const r = fitTabularEncoding([{ name: 'customerID', values: ids }, { name: 'empty', values: ids.map(() => null) }, { name: 'x', values: ids.map((_, i) => i % 3) }]);
    expect(r.encoding.columns.map((c) => c.name)).toEqual(['x']);
    expect(r.issues).toEqual([
      { code: 'idLike', column: 'customerID', levels: 40, rows: 40 },
      { code: 'allMissing', column: 'empty', levels: 0, rows: 40 },
    ]);
  });
  it('reads number columns through sign(x)·ln(1 + |x|) for linear models when asked, trees and booleans unchanged', () => {
    const cells = [{ name: 'spend', values: [0, Math.E - 1, null, -(Math.E ** 2 - 1)] }, { name: 'vip', values: [true, false, true, false] }];
    const r = fitTabularEncoding(cells, { logNumbers: true });
    expect(r.encoding.columns.map((c) => c.log === true)).toEqual([true, false]);
    // The mean the missing cell gets is of the logged values: (0 + 1 − 2) / 3.
    expect(r.encoding.columns[0]!.mean).toBeCloseTo(-1 / 3, 14);
    const m = encodeForLinear(r.encoding, cells, 4);
    const spend = [0, 1, 2, 3].map((i) => m.values[i * m.d]!);
    expect(spend[0]).toBe(0);
    expect(spend[1]).toBeCloseTo(1, 14);
    expect(spend[2]).toBeCloseTo(-1 / 3, 14);
    expect(spend[3]).toBeCloseTo(-2, 14);
    expect(Array.from(encodeForTrees(r.encoding, cells, 4).columns[0]!)).toEqual([0, Math.E - 1, Number.NaN, -(Math.E ** 2 - 1)]);
    expect(fitTabularEncoding(cells).encoding.columns[0]!.log).toBeUndefined();
  });
  it('fits on the given rows only', () => {
    const r = fitTabularEncoding([{ name: 'x', values: [1, 2, 3, 100] }], {}, [0, 1, 2]);
    expect(r.encoding.columns[0]!.mean).toBe(2);
  });
});
