import { describe, expect, it } from 'vitest';
import { entropyWeights } from '../../src/ml/entropy-weight.ts';
import { KernelInputError, fromRows } from '../../src/ml/matrix.ts';

describe('entropyWeights', () => {
  it('computes the weights of a hand-worked 3 × 3 example', () => {
    // Column 0 (1, 1, 1): p = ⅓ each, e = 1, d = 0.
    // Column 1 (0, 0, 1): p = (0, 0, 1), e = 0, d = 1.
    // Column 2 (1, 1, 2): p = (¼, ¼, ½), e = −(¼ ln ¼ + ¼ ln ¼ + ½ ln ½) / ln 3 = 1.5 ln 2 / ln 3.
    const e2 = (1.5 * Math.LN2) / Math.log(3);
    const d2 = 1 - e2; // 0.05360...
    const result = entropyWeights(fromRows([[1, 0, 1], [1, 0, 1], [1, 1, 2]]));
    expect(result.fallback).toBeNull();
    expect(result.zeroColumns).toEqual([]);
    expect(result.entropy[0]).toBeCloseTo(1, 12);
    expect(result.entropy[1]).toBe(0);
    expect(result.entropy[2]).toBeCloseTo(e2, 12);
    expect(result.divergence[0]).toBe(0);
    expect(result.weights[0]).toBe(0);
    expect(result.weights[1]).toBeCloseTo(1 / (1 + d2), 12);
    expect(result.weights[2]).toBeCloseTo(d2 / (1 + d2), 12);
    expect(result.weights[2]).toBeCloseTo(0.050878, 6);
  });

  it('gives an all-zero column weight 0 and lists it', () => {
    const result = entropyWeights(fromRows([[0, 0.2], [0, 0.9], [0, 0.1]]));
    expect(result.zeroColumns).toEqual([0]);
    expect(result.entropy[0]).toBe(1);
    expect(Array.from(result.weights)).toEqual([0, 1]);
  });

  it('falls back to equal weights with one row', () => {
    const result = entropyWeights(fromRows([[0.3, 0.5, 1]]));
    expect(result.fallback).toBe('single-row');
    expect(Array.from(result.weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('falls back to equal weights when every column is constant (rounding does not pick a winner)', () => {
    const result = entropyWeights(fromRows([[0.1, 0.7], [0.1, 0.7], [0.1, 0.7]]));
    expect(result.fallback).toBe('no-variation');
    expect(Array.from(result.weights)).toEqual([0.5, 0.5]);
  });

  it('returns no weights for zero columns', () => {
    expect(entropyWeights({ values: new Float64Array(0), n: 4, d: 0 }).weights.length).toBe(0);
  });

  it('rejects negative values and NaN, naming row and column', () => {
    expect(() => entropyWeights(fromRows([[0.1, 0.2], [0.3, -0.4]]))).toThrowError(
      new KernelInputError(
        'range',
        'Value -0.4 at row 1, column 1 is negative; entropy weights need non-negative (e.g. min-max normalised) columns.',
        1,
        1,
      ),
    );
    expect(() => entropyWeights(fromRows([[Number.NaN, 0.2]]))).toThrowError(
      'Weight input has NaN at row 0, column 0; remove or impute it first.',
    );
    expect(() => entropyWeights({ values: new Float64Array(0), n: 0, d: 2 })).toThrowError('Entropy weights need at least one row.');
  });
});
