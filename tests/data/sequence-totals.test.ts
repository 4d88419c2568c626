import { describe, expect, it } from 'vitest';
import { recentSteps, totalsTable, windowSummaries } from '../../src/data/sequence-totals.ts';

// Two customers × 4 periods × (count, mean, one static): [n, T, width] row-major.
const x = Float32Array.from([
  // customer a: active in periods 0 and 2
  2, 10, 7,
  0, 0, 7,
  1, 4, 7,
  0, 0, 7,
  // customer b: never active
  0, 0, 9,
  0, 0, 9,
  0, 0, 9,
  0, 0, 9,
]);
const features = [{ name: 'rows', aggregation: 'count' as const }, { name: 'price_mean', aggregation: 'mean' as const }];

describe('windowSummaries', () => {
  it('sums count features over the window and over the last k periods, averages a mean feature over its non-zero periods, and counts the periods since the last active one', () => {
    const cols = windowSummaries(x, 2, 4, 3, features, 2);
    expect(cols.map((c) => [c.name, Array.from(c.values)])).toEqual([
      ['rows_total', [3, 0]],
      ['price_mean_total', [7, 0]],
      ['rows_last2', [1, 0]],
      ['price_mean_last2', [4, 0]],
      // a's last activity is period 2 of 0..3: one period since; b never: all 4.
      ['periods_since_activity', [1, 4]],
    ]);
  });

  it('leaves the static features that follow the activity ones out of the summaries', () => {
    const cols = windowSummaries(x, 2, 4, 3, features.slice(0, 1), 4);
    expect(cols.map((c) => c.name)).toEqual(['rows_total', 'rows_last4', 'periods_since_activity']);
    expect(Array.from(cols[0]?.values ?? [])).toEqual([3, 0]);
  });

  it('clamps the recent periods to the window and rejects a shape that does not match x', () => {
    expect(windowSummaries(x, 2, 4, 3, features, 9).map((c) => c.name)).toContain('rows_last4');
    expect(() => windowSummaries(x, 2, 4, 2, features, 1)).toThrow('x has 24 values, expected 2·4·2');
    expect(() => windowSummaries(x, 2, 4, 1, features, 1)).toThrow('2 activity features in a width of 1');
  });
});

describe('recentSteps', () => {
  it('is a quarter of the window rounded up, at least one period', () => {
    expect([1, 3, 4, 12, 22, 52].map(recentSteps)).toEqual([1, 1, 1, 3, 6, 13]);
  });
});

describe('totalsTable', () => {
  it('lays out the id, the summaries, the statics and the 0/1 label (null where unknown), renaming a static column that would hide the id or the label', () => {
    const t = totalsTable(['a', 'b'], 'customer_id', [{ name: 'rows_total', values: Float64Array.from([3, 0]) }], { names: ['customer_id', 'label', 'score'], values: [1, 7, 0.5, 2, 8, 0.25] }, Float32Array.from([1, Number.NaN]));
    expect(t.columnNames()).toEqual(['customer_id', 'rows_total', 'customer_id_2', 'label_2', 'score', 'label']);
    expect(t.objects()).toEqual([
      { customer_id: 'a', rows_total: 3, customer_id_2: 1, label_2: 7, score: 0.5, label: 1 },
      { customer_id: 'b', rows_total: 0, customer_id_2: 2, label_2: 8, score: 0.25, label: null },
    ]);
  });

  it('rejects columns whose length is not one value per customer', () => {
    expect(() => totalsTable(['a'], 'id', [{ name: 'r', values: new Float64Array(2) }], null, [0])).toThrow('column r has 2 values for 1 customers');
    expect(() => totalsTable(['a'], 'id', [], { names: ['s'], values: [1, 2] }, [0])).toThrow('2 static values, expected 1·1');
  });
});
