import { table as aqTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { columnValues } from '../../src/data/columns.ts';
import { createRng } from '../../src/ml/random.ts';
import { columnStats, statsOf, statsTable } from '../../src/data/stats.ts';

describe('columnStats', () => {
  const t = aqTable({
    n: Float64Array.from([3, 1, 2, 3, 3]),
    m: [1.5, null, 2.5, Number.NaN, 1.5],
    d: [new Date('2011-01-02T00:00:00Z'), null, new Date('2011-01-01T00:00:00Z'), new Date('2011-01-02T00:00:00Z'), null],
    s: ['b', 'a', null, 'b', 'c'],
    e: [null, null, null, null, null],
  });

  it('summarises numbers: count, missing, distinct, min, max, mean and top values by count', () => {
    const [n, m] = columnStats(t, { n: 'integer' });
    expect(n).toEqual({ column: 'n', type: 'integer', count: 5, missing: 0, distinct: 3, min: 1, max: 3, mean: 2.4, top: [{ value: '3', count: 3 }, { value: '1', count: 1 }, { value: '2', count: 1 }] });
    expect(m).toEqual({ column: 'm', type: 'number', count: 3, missing: 2, distinct: 2, min: 1.5, max: 2.5, mean: 11 / 6, top: [{ value: '1.5', count: 2 }, { value: '2.5', count: 1 }] });
  });

  it('summarises dates with ISO min and max, and text by counts (ties in first-seen order)', () => {
    const stats = columnStats(t);
    expect(stats[2]).toEqual({ column: 'd', type: 'date', count: 3, missing: 2, distinct: 2, min: '2011-01-01T00:00:00.000Z', max: '2011-01-02T00:00:00.000Z', mean: null, top: [{ value: '2011-01-02T00:00:00.000Z', count: 2 }, { value: '2011-01-01T00:00:00.000Z', count: 1 }] });
    expect(stats[3]).toEqual({ column: 's', type: 'text', count: 4, missing: 1, distinct: 3, min: null, max: null, mean: null, top: [{ value: 'b', count: 2 }, { value: 'a', count: 1 }, { value: 'c', count: 1 }] });
    expect(stats[4]).toEqual({ column: 'e', type: 'empty', count: 0, missing: 5, distinct: 0, min: null, max: null, mean: null, top: [] });
  });

  it('keeps the 5 most frequent values by default', () => {
    const many = aqTable({ x: [1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 7, 7] });
    expect(columnStats(many)[0]!.top.map((v) => v.value)).toEqual(['7', '1', '2', '3', '4']);
  });

  it('becomes a table with one row per column and the top values as JSON', () => {
    const table = statsTable(columnStats(t, { n: 'integer' }));
    expect(table.columnNames()).toEqual(['column', 'type', 'count', 'missing', 'distinct', 'min', 'max', 'mean', 'top']);
    expect(Array.from(columnValues(table, 'column'))).toEqual(['n', 'm', 'd', 's', 'e']);
    expect(JSON.parse(String(columnValues(table, 'top')[0]))).toEqual([['3', 3], ['1', 1], ['2', 1]]);
  });

  it('counts the same way whether values are counted in an array, by runs or after sorting', () => {
    const rng = createRng(11);
    const naive = (values: number[]) => {
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([value, count]) => ({ value: String(value), count }));
      // The first of equal extremes (0 or −0, whichever comes first), as the kernel keeps it.
      return { distinct: counts.size, min: values.reduce((a, v) => (v < a ? v : a), Infinity), max: values.reduce((a, v) => (v > a ? v : a), -Infinity), top };
    };
    const smallInts = Array.from({ length: 5000 }, () => rng.int(40) - 20);
    const runs = Array.from({ length: 5000 }, (_, i) => 1e12 + Math.floor(i / 10) * 60_000.5);
    // Runs that rise for a while and then come back to earlier values (counted in order, then in a Map).
    const runsBack = Array.from({ length: 5000 }, (_, i) => 1e12 + ((Math.floor(i / 10) * 7) % 137) * 60_000.5);
    const scattered = Array.from({ length: 5000 }, () => Math.round(rng.next() * 1e9) / 100);
    // A few hundred prices in no order, many with tied counts, and 0 written both ways: counted in a hash table.
    const prices = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? (i % 2 === 0 ? 0 : -0) : (1 + rng.int(400)) / 4 + 0.01));
    for (const values of [smallInts, runs, runsBack, scattered, prices]) {
      const stats = statsOf('x', Float64Array.from(values), 'number');
      expect({ distinct: stats.distinct, min: stats.min, max: stats.max, top: stats.top }).toEqual(naive(values));
    }
  });

  it('keeps the most frequent text values as a stable sort of all counts would, ties to the first seen', () => {
    const rng = createRng(5);
    const values = Array.from({ length: 3000 }, () => (rng.int(10) === 0 ? null : `v${rng.int(60)}`));
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    const expected = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([value, count]) => ({ value, count }));
    expect(statsOf('x', values, 'text').top).toEqual(expected);
    expect(statsOf('x', values, 'text', 0).top).toEqual([]);
  });

  it('counts text that comes in runs as text that does not: ties in first-seen order, missing cells apart', () => {
    const values = ['a', 'a', 'b', 'a', 'b', 'b', null, 'c', 'c', null, 'b', 'a'];
    expect(statsOf('x', values, 'text')).toEqual({ column: 'x', type: 'text', count: 10, missing: 2, distinct: 3, min: null, max: null, mean: null, top: [{ value: 'a', count: 4 }, { value: 'b', count: 4 }, { value: 'c', count: 2 }] });
  });
});
