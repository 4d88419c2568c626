import { describe, expect, it } from 'vitest';
import {
  addMonthsUtc,
  appendStatic,
  applyScaler,
  buildSequences,
  compareIds,
  findNonFinite,
  fitScaler,
  horizonLabels,
  periodGrid,
  selectRows,
  sequenceTotals,
  stepOf,
  type ActivitySource,
} from '../../src/data/sequences.ts';

const ms = (text: string): number => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`);

describe('periodGrid', () => {
  it('lays out weekly steps that end exactly at the cutoff', () => {
    const grid = periodGrid(ms('2024-07-01'), 'week', 3);
    expect(grid.labels).toEqual(['2024-06-10', '2024-06-17', '2024-06-24']);
    expect(grid.ends[2]).toBe(ms('2024-07-01'));
    expect(grid.starts[1]).toBe(grid.ends[0]);
  });

  it('counts calendar months back from the cutoff, clamping the day of the month', () => {
    expect(periodGrid(ms('2011-09-08'), 'month', 3).labels).toEqual(['2011-06-08', '2011-07-08', '2011-08-08']);
    expect(new Date(addMonthsUtc(ms('2024-03-31'), -1)).toISOString().slice(0, 10)).toBe('2024-02-29');
    expect(new Date(addMonthsUtc(ms('2024-01-15'), -13)).toISOString().slice(0, 10)).toBe('2022-12-15');
  });

  it('places a time in its step and times outside the grid at −1', () => {
    const grid = periodGrid(ms('2024-01-04'), 'day', 3);
    expect(stepOf(grid, ms('2024-01-01'))).toBe(0);
    expect(stepOf(grid, ms('2024-01-03 23:59:59'))).toBe(2);
    expect(stepOf(grid, ms('2024-01-04'))).toBe(-1);
    expect(stepOf(grid, ms('2023-12-31 23:59:59'))).toBe(-1);
    expect(stepOf(grid, Number.NaN)).toBe(-1);
  });

  it('rejects a non-integer step count', () => {
    expect(() => periodGrid(0, 'week', 0)).toThrow('steps must be a whole number ≥ 1, got 0');
  });
});

describe('buildSequences', () => {
  const cutoff = ms('2024-01-22');
  // Three weekly steps: [01-01, 01-08), [01-08, 01-15), [01-15, 01-22).
  const source: ActivitySource = {
    ids: ['a', 'a', 'b', 'a', null, 'b', 'c', 'a'],
    times: [ms('2024-01-02'), ms('2024-01-03'), ms('2024-01-16'), ms('2024-01-21'), ms('2024-01-10'), ms('2024-01-25'), ms('2023-12-01'), Number.NaN],
    features: [
      { name: 'rows', aggregation: 'count' },
      { name: 'qty_sum', aggregation: 'sum', values: [1, 2, 5, 4, 9, 7, 3, 1] },
      { name: 'qty_mean', aggregation: 'mean', values: [1, 2, 5, Number.NaN, 9, 7, 3, 1] },
      { name: 'cart', aggregation: 'count', mask: [0, 1, 1, 0, 0, 0, 0, 0] },
    ],
  };

  it('aggregates each entity’s rows per period, with zeros where there is no activity', () => {
    const s = buildSequences([source], { cutoffMs: cutoff, period: 'week', steps: 3, universe: null });
    // c only has a row before the window, but it is active before the cutoff so it is in the universe.
    expect(s.ids).toEqual(['a', 'b', 'c']);
    expect(s.featureNames).toEqual(['rows', 'qty_sum', 'qty_mean', 'cart']);
    expect([s.n, s.steps, s.features]).toEqual([3, 3, 4]);
    expect(Array.from(s.x)).toEqual([
      // a: week 0 two rows (1 + 2), week 2 one row (4, whose mean value is NaN and skipped)
      2, 3, 1.5, 1, 0, 0, 0, 0, 1, 4, 0, 0,
      // b: week 2 one row (5, a cart); its row after the cutoff is not a feature
      0, 0, 0, 0, 0, 0, 0, 0, 1, 5, 5, 1,
      // c: nothing inside the window
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(s.counts).toEqual({ used: 4, beforeWindow: 1, afterCutoff: 1, missingId: 1, badTime: 1, unknownId: 0, badValue: 1 });
    expect(Array.from(s.activeRows)).toEqual([3, 1, 0]);
    expect(s.stepLabels).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
  });

  it('keeps the order of a given universe, includes ids without activity and skips ids outside it', () => {
    const s = buildSequences([source], { cutoffMs: cutoff, period: 'week', steps: 3, universe: ['z', 'b'] });
    expect(s.ids).toEqual(['z', 'b']);
    expect(Array.from(s.x.subarray(0, 12))).toEqual(new Array(12).fill(0));
    expect(s.counts.unknownId).toBe(3);
  });

  it('concatenates the features of several sources in order', () => {
    const second: ActivitySource = { ids: ['b'], times: [ms('2024-01-09')], features: [{ name: 'events', aggregation: 'count' }] };
    const s = buildSequences([source, second], { cutoffMs: cutoff, period: 'week', steps: 3, universe: ['b'] });
    expect(s.featureNames).toEqual(['rows', 'qty_sum', 'qty_mean', 'cart', 'events']);
    expect(Array.from(s.x)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 5, 5, 1, 0]);
  });

  it('orders numeric ids by value and other ids by code unit', () => {
    expect(['10', '9', 'b', 'a', '100'].sort(compareIds)).toEqual(['9', '10', '100', 'a', 'b']);
  });
});

describe('horizonLabels', () => {
  it('labels 1 exactly the entities with a (masked) row in [cutoff, horizon end)', () => {
    const ids = ['a', 'b', 'c', 'd', 'b'];
    const times = [ms('2024-02-01'), ms('2024-01-31'), ms('2024-02-28'), ms('2024-03-01'), ms('2024-02-10')];
    const r = horizonLabels(ids, times, ['a', 'b', 'c', 'd', 'e'], ms('2024-02-01'), ms('2024-03-01'));
    expect(Array.from(r.labels)).toEqual([1, 1, 1, 0, 0]);
    expect(r.rowsInHorizon).toBe(3);
    const masked = horizonLabels(ids, times, ['a', 'b', 'c'], ms('2024-02-01'), ms('2024-03-01'), [1, 1, 0, 1, 0]);
    expect(Array.from(masked.labels)).toEqual([1, 0, 0]);
  });
});

describe('static features and helpers', () => {
  it('appends the static values of each entity to every one of its steps', () => {
    const x = Float32Array.from([1, 2, 3, 4]); // n = 2, T = 2, D = 1
    expect(Array.from(appendStatic(x, 2, 2, 1, [10, 20, 30, 40], 2))).toEqual([1, 10, 20, 2, 10, 20, 3, 30, 40, 4, 30, 40]);
    expect(() => appendStatic(x, 2, 2, 1, [1], 2)).toThrow('1 static values, expected 2·2');
  });

  it('finds the first non-finite value with its row, step and feature', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4, Number.NaN, 6, 7]); // n = 2, T = 2, D = 2
    expect(findNonFinite(x, 2, 2, 2)).toEqual({ row: 1, step: 0, feature: 1, value: Number.NaN });
    expect(findNonFinite(Float32Array.from([1, 2]), 1, 1, 2)).toBeNull();
  });

  it('selects rows and sums features over the steps', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // n = 2, T = 2, D = 2
    expect(Array.from(selectRows(x, 2, 2, [1]))).toEqual([5, 6, 7, 8]);
    expect(Array.from(sequenceTotals(x, 2, 2, 2))).toEqual([4, 6, 12, 14]);
  });
});

describe('fitScaler / applyScaler', () => {
  // n = 3, T = 2, D = 2; feature 1 is constant.
  const x = Float32Array.from([0, 5, 1, 5, 3, 5, 3, 5, 100, 5, 100, 5]);

  it('fits z-scores on the chosen rows only, so a held-out outlier does not move the scaling', () => {
    const scaler = fitScaler(x, 3, 2, 2, 'standard', [0, 1]);
    expect(scaler.rows).toBe(2);
    expect(scaler.mean[0]).toBeCloseTo(1.75, 12);
    // population std of [0, 1, 3, 3]
    expect(scaler.std[0]).toBeCloseTo(Math.sqrt(((0 - 1.75) ** 2 + (1 - 1.75) ** 2 + 2 * (3 - 1.75) ** 2) / 4), 12);
    expect(scaler.mean[1]).toBe(5);
    expect(scaler.std[1]).toBe(1);
    const scaled = applyScaler(scaler, x, 3, 2, 2);
    expect(scaled[0]).toBeCloseTo((0 - 1.75) / (scaler.std[0] ?? 1), 6);
    expect(scaled[1]).toBe(0);
    expect(scaled[8]).toBeCloseTo((100 - 1.75) / (scaler.std[0] ?? 1), 4);
  });

  it('applies a signed log1p before standardising under log-standard', () => {
    const scaler = fitScaler(Float32Array.from([-1, 0, Math.E - 1]), 3, 1, 1, 'log-standard');
    const g = [-Math.log(2), 0, 1];
    const mean = (g[0]! + g[1]! + g[2]!) / 3;
    expect(scaler.mean[0]).toBeCloseTo(mean, 6);
    expect(scaler.std[0]).toBeCloseTo(Math.sqrt(g.reduce((s, v) => s + (v - mean) ** 2, 0) / 3), 6);
  });

  it('leaves values as they are under none, and refuses a scaler of another width', () => {
    const scaler = fitScaler(x, 3, 2, 2, 'none');
    expect(Array.from(applyScaler(scaler, x, 3, 2, 2))).toEqual(Array.from(x));
    expect(() => applyScaler(scaler, x, 2, 2, 3)).toThrow('fitted on 2 features, the sequences have 3');
  });
});
