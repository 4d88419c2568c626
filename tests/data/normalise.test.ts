import { describe, expect, it } from 'vitest';
import { applyScaling, fitScaling, numericForScaling, readScalingParams } from '../../src/data/normalise.ts';

const x = Float64Array.from([2, 4, Number.NaN, 10, 6]);

describe('fitScaling and applyScaling', () => {
  it('min-max maps x to (x − min)/(max − min) exactly and keeps missing cells missing', () => {
    const fit = fitScaling(x, 'min-max')!;
    expect(fit).toEqual({ center: 2, scale: 8, count: 4, stats: { min: 2, max: 10 } });
    const out = Array.from(applyScaling(x, fit));
    expect(out).toEqual([0, (4 - 2) / (10 - 2), Number.NaN, 1, (6 - 2) / (10 - 2)]);
  });

  it('z-score uses the mean and the population standard deviation', () => {
    const fit = fitScaling(x, 'z-score')!;
    const sd = Math.sqrt(((2 - 5.5) ** 2 + (4 - 5.5) ** 2 + (10 - 5.5) ** 2 + (6 - 5.5) ** 2) / 4);
    expect(fit.center).toBe(5.5);
    expect(fit.scale).toBeCloseTo(sd, 14);
    expect(applyScaling(x, fit)[3]).toBeCloseTo((10 - 5.5) / sd, 14);
  });

  it('robust uses the median and the type-7 interquartile range', () => {
    const fit = fitScaling(x, 'robust')!;
    expect(fit).toEqual({ center: 5, scale: 7 - 3.5, count: 4, stats: { median: 5, q1: 3.5, q3: 7 } });
  });

  it('maps a constant column to 0 (scale 0, no division) and gives null for a column without values', () => {
    for (const method of ['min-max', 'z-score', 'robust'] as const) {
      const fit = fitScaling(Float64Array.from([0.1, 0.1, 0.1]), method)!;
      expect(fit.scale, method).toBe(0);
      expect(Array.from(applyScaling(Float64Array.from([0.1, 5, Number.NaN]), fit))).toEqual([0, 0, Number.NaN]);
    }
    expect(fitScaling(Float64Array.from([Number.NaN]), 'min-max')).toBeNull();
  });

  it('clips applied values to [0, 1] when asked', () => {
    const fit = fitScaling(Float64Array.from([0, 10]), 'min-max')!;
    expect(Array.from(applyScaling(Float64Array.from([-5, 5, 20]), fit, true))).toEqual([0, 0.5, 1]);
  });
});

describe('reading columns and transforms', () => {
  it('counts infinite values and refuses text', () => {
    expect(numericForScaling([1, Infinity, null], 'x', 'columns').nonFinite).toBe(1);
    expect(() => numericForScaling([1, 'two'], 'x', 'columns')).toThrow('Column "x" in parameter "columns" must hold numbers; it holds values such as "two".');
  });

  it('reads back a fitted scaling and refuses other transforms with the reason', () => {
    const params = { method: 'min-max', suffix: '', columns: { a: { center: 1, scale: 2, count: 3, stats: { min: 1, max: 3 } } } };
    expect(readScalingParams('normalise', params)).toEqual(params);
    expect(() => readScalingParams('weight', params)).toThrow('The transform connected to input "fitted" is not a fitted scaling ("it came from \\"weight\\"").');
    expect(() => readScalingParams('normalise', { method: 'log', columns: {} })).toThrow('unknown method');
  });
});
