import { describe, expect, it } from 'vitest';
import { accuracy, meanBce, rocAuc } from '../../../src/ml/lstm/metrics.ts';

const f = (values: number[]): Float32Array => Float32Array.from(values);

describe('rocAuc', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc(f([0.1, 0.2, 0.8, 0.9]), f([0, 0, 1, 1]))).toBe(1);
    expect(rocAuc(f([0.9, 0.8, 0.2, 0.1]), f([0, 0, 1, 1]))).toBe(0);
  });

  it('counts ties as half (pairs: 3 wins, 1 tie, 0 losses of 4 → 0.875)', () => {
    expect(rocAuc(f([0.1, 0.5, 0.5, 0.9]), f([0, 0, 1, 1]))).toBe(0.875);
  });

  it('is NaN when a class is absent', () => {
    expect(rocAuc(f([0.1, 0.2]), f([1, 1]))).toBeNaN();
  });
});

describe('accuracy and meanBce', () => {
  it('thresholds at 0.5', () => {
    expect(accuracy(f([0.4, 0.6, 0.5, 0.2]), f([0, 1, 0, 1]))).toBe(0.5);
  });

  it('averages −log p of the true class, clipping at 1e-7', () => {
    expect(meanBce(f([0.5, 0.5]), f([0, 1]))).toBeCloseTo(Math.log(2), 6);
    expect(meanBce(f([0]), f([1]))).toBeCloseTo(-Math.log(1e-7), 4);
  });
});
