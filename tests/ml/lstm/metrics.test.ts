import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/ml/random.ts';
import { accuracy, meanBce, rocAuc, rocAucByRows } from '../../../src/ml/lstm/metrics.ts';

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

  it('gives the very number the row-by-row rank sum gives, on 400 seeded sets with many ties, zeros of both signs and growing sizes', () => {
    for (let seed = 0; seed < 400; seed++) {
      const rng = createRng(seed);
      const n = 1 + rng.int(seed < 200 ? 40 : 1200);
      // Few distinct values make long runs of ties; seed % 3 === 0 draws continuous scores.
      const levels = seed % 3 === 0 ? 0 : 1 + rng.int(12);
      const scores = Float32Array.from({ length: n }, () => (levels === 0 ? rng.next() : rng.int(levels) / levels) * (rng.next() < 0.1 ? -0 : 1));
      const labels = Float32Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      expect(Object.is(rocAuc(scores, labels), rocAucByRows(scores, labels))).toBe(true);
    }
  });

  it('takes the row-by-row path when a score is NaN, so it gives the same number as before', () => {
    const scores = f([0.2, Number.NaN, 0.7, 0.4, Number.NaN]);
    const labels = f([0, 1, 1, 0, 0]);
    expect(Object.is(rocAuc(scores, labels), rocAucByRows(scores, labels))).toBe(true);
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
