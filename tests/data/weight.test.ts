import { describe, expect, it } from 'vitest';
import { competitionRank, completeRows, entropyColumnWeights, outsideUnitRange, readFeatureColumns, scaleWeights, weightedScores } from '../../src/data/weight.ts';

describe('typed weights', () => {
  it('are scaled so their absolute values sum to 1, keeping signs', () => {
    expect(scaleWeights([-0.3, 0.4, 0.3])).toEqual([-0.3, 0.4, 0.3]);
    const scaled = scaleWeights([-1, 2, 1]);
    expect(scaled).toEqual([-0.25, 0.5, 0.25]);
    expect(() => scaleWeights([0, 0])).toThrow('Parameter "weights" gives no column a non-zero weight');
  });
});

describe('weightedScores', () => {
  const r = Float64Array.from([0, 0.5, 1, 0.5]);
  const f = Float64Array.from([1, 0.5, 0, Number.NaN]);

  it('gives f_i = Σ w_j x_ij, contributions w_j x_ij that sum to it, and competition ranks', () => {
    const w = [-0.4, 0.6];
    const result = weightedScores([r, f], w, 4);
    expect(Array.from(result.score)).toEqual([-0.4 * 0 + 0.6 * 1, -0.4 * 0.5 + 0.6 * 0.5, -0.4 * 1 + 0.6 * 0, Number.NaN]);
    expect(Array.from(result.contributions[0]!)).toEqual([-0, -0.2, -0.4, Number.NaN]);
    expect(Array.from(result.rank)).toEqual([1, 2, 3, Number.NaN]);
    expect(result.incomplete).toBe(1);
  });

  it('ranks ties with the smallest shared rank', () => {
    expect(Array.from(competitionRank(Float64Array.from([0.5, 0.9, 0.5, 0.1, Number.NaN])))).toEqual([2, 1, 2, 4, Number.NaN]);
  });
});

describe('entropy weights', () => {
  it('weigh the more varied column more, follow the entropy formula, and take the sign of lower-is-better', () => {
    const even = Float64Array.from([0.5, 0.5, 0.5, 0.6]);
    const varied = Float64Array.from([0, 0.1, 0.2, 1]);
    const cols = [even, varied];
    const result = entropyColumnWeights(['even', 'varied'], cols, completeRows(cols, 4), new Set(['varied']));
    const entropy = (v: Float64Array) => {
      const sum = v.reduce((a, b) => a + b, 0);
      let h = 0;
      for (const x of v) if (x > 0) h -= (x / sum) * Math.log(x / sum);
      return h / Math.log(v.length);
    };
    const d = [1 - entropy(even), 1 - entropy(varied)];
    expect(result.weights[0]).toBeCloseTo(d[0]! / (d[0]! + d[1]!), 12);
    expect(result.weights[1]).toBeCloseTo(-d[1]! / (d[0]! + d[1]!), 12);
    expect(Math.abs(result.weights[1]!)).toBeGreaterThan(result.weights[0]!);
    expect(result.notes).toEqual([]);
  });

  it('use only complete rows, refuse negative values and fall back to equal weights with a note', () => {
    const a = Float64Array.from([0, 1, Number.NaN]);
    const b = Float64Array.from([1, 1, 5]);
    const result = entropyColumnWeights(['a', 'b'], [a, b], completeRows([a, b], 3), new Set());
    expect(result.weights).toEqual([1, 0]);
    expect(() => entropyColumnWeights(['a'], [Float64Array.from([-1, 1])], Uint8Array.from([1, 1]), new Set())).toThrow('Column "a" has negative values such as -1');
    const one = entropyColumnWeights(['a', 'b'], [Float64Array.from([0.2]), Float64Array.from([0.4])], Uint8Array.from([1]), new Set());
    expect(one.weights).toEqual([0.5, 0.5]);
    expect(one.notes).toEqual([{ code: 'equalWeights', values: { reason: 'there is only one complete row' } }]);
  });
});

describe('column checks', () => {
  it('refuse non-numeric columns and report columns outside [0, 1]', () => {
    expect(() => readFeatureColumns([{ name: 'when', values: [new Date(0)] }], 'columns')).toThrow('Column "when" in parameter "columns" must hold numbers; it holds values such as "1970-01-01T00:00:00.000Z".');
    expect(outsideUnitRange(['a', 'b'], [Float64Array.from([0, 1]), Float64Array.from([0, 12.5, Number.NaN])])).toEqual([{ column: 'b', min: 0, max: 12.5 }]);
  });
});
