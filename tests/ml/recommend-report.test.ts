import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { emptyRows, formatShare, metricsOf, recommendationRows, recommendationsTable, topItemsById } from '../../src/ml/recommend-report.ts';
import type { OfflineEvaluation, Recommendations } from '../../src/ml/recommend.ts';

const counts = { customers: 2, products: 3, coldStarts: 0, skippedRows: 0, cappedCustomers: 0 };

describe('recommendation rows', () => {
  it('turns each filled slot into a row with a reason, skipping empty slots and ranking from 1', () => {
    // Two users, two slots each; user 1's second slot is empty.
    const recs: Recommendations = {
      n: 2,
      users: 2,
      items: Int32Array.from([2, 1, 0, -1]),
      scores: Float64Array.from([1.5, 0.25, 0.034, 0]),
      reasons: Int32Array.from([0, -1, -1, -1]),
      sources: Uint8Array.from([0, 1, 2, 255]),
    };
    const out = emptyRows();
    const names = { products: ['P1', 'P2', 'P3'], productLabel: ['Mug', 'Lamp', 'Desk'], segmentNames: new Map([[4, 'Regulars']]) };
    recommendationRows(out, recs, 0, 'c1', -1, names);
    recommendationRows(out, recs, 1, 'c2', 4, names);
    expect(out).toEqual({
      id: ['c1', 'c1', 'c2'],
      rank: [1, 2, 1],
      item: ['P3', 'P2', 'P1'],
      itemKey: [2, 1, 0],
      score: [1.5, 0.25, 0.034],
      reason: ['because you bought Mug', 'popular: bought by 25% of customers', 'popular in your segment (Regulars): bought by 3.4% of it'],
      source: ['item-item', 'popular', 'segment-popular'],
    });
  });

  it('writes shares as whole percentages from 10% and with one decimal below', () => {
    expect([formatShare(0), formatShare(0.5), formatShare(0.1), formatShare(0.0999), formatShare(0.004)]).toEqual(['0%', '50%', '10%', '10.0%', '0.4%']);
  });
});

describe('recommendation metrics', () => {
  it('reports every figure as null with an empty comparison when there is no evaluation', () => {
    const m = metricsOf(null, 10, 'none', counts);
    expect(m.summary.recall).toBeNull();
    expect(m.summary.evaluated_customers).toBe(0);
    expect(m.tables.comparison?.numRows()).toBe(0);
    expect(m.detail).toEqual({ n: 10, holdout: 'none', ...counts, split: 'no evaluation asked' });
    expect(metricsOf(null, 10, 'random-item', counts).detail.split).toBe('no customer qualified');
  });

  it('reports item-item against popularity with ratios, null when popularity found nothing', () => {
    const e: OfflineEvaluation = {
      n: 10,
      users: 4,
      heldOutItems: 5,
      itemItem: { hitRate: 0.5, recall: 0.4, map: 0.2 },
      popularity: { hitRate: 0.25, recall: 0, map: 0.1 },
      recallRatio: Number.POSITIVE_INFINITY,
      split: 'last basket',
    };
    const m = metricsOf(e, 10, 'last-basket', counts);
    expect(m.summary).toEqual({
      hit_rate: 0.5,
      recall: 0.4,
      map: 0.2,
      popularity_hit_rate: 0.25,
      popularity_recall: 0,
      popularity_map: 0.1,
      hit_rate_ratio: 2,
      recall_ratio: null,
      map_ratio: 2,
      evaluated_customers: 4,
    });
    expect(m.tables.comparison?.objects()).toEqual([
      { method: 'item-item', hit_rate: 0.5, recall: 0.4, map: 0.2 },
      { method: 'popularity', hit_rate: 0.25, recall: 0, map: 0.1 },
    ]);
  });
});

describe('the recommendations table', () => {
  const recs: Recommendations = { n: 1, users: 2, items: Int32Array.from([1, 0]), scores: Float64Array.from([0.5, 0.25]), reasons: Int32Array.from([-1, -1]), sources: Uint8Array.from([1, 2]) };
  const names = { products: ['P1', 'P2'], productLabel: ['Mug', 'Lamp'], segmentNames: new Map([[2, 'Regulars']]) };

  it('lists every group’s filled slots in turn, with item_name when asked', () => {
    const t = recommendationsTable([{ recs, ids: ['c1', 'c2'], segments: [-1, 2] }], names, true);
    expect(t.columnNames()).toEqual(['id', 'rank', 'item', 'score', 'reason', 'source', 'item_name']);
    expect(t.objects()).toEqual([
      { id: 'c1', rank: 1, item: 'P2', score: 0.5, reason: 'popular: bought by 50% of customers', source: 'popular', item_name: 'Lamp' },
      { id: 'c2', rank: 1, item: 'P1', score: 0.25, reason: 'popular in your segment (Regulars): bought by 25% of it', source: 'segment-popular', item_name: 'Mug' },
    ]);
  });

  it('leaves item_name out when not asked, and groups follow each other', () => {
    const t = recommendationsTable([{ recs, ids: ['c1'], segments: [-1] }, { recs, ids: ['cold'], segments: [-1] }], names, false);
    expect(t.columnNames()).toEqual(['id', 'rank', 'item', 'score', 'reason', 'source']);
    expect(t.array('id')).toEqual(['c1', 'cold']);
  });
});

describe('topItemsById', () => {
  it('joins each customer’s first items in rank order, by name where one is given, skipping rows without id, item or rank', () => {
    const t = table({ id: ['a', 'a', 'a', 'b', '', 'b'], rank: [3, 1, 2, 1, 1, null], item: ['i3', 'i1', 'i2', 'j1', 'k', 'j2'], item_name: ['', 'One', '', '', '', ''] });
    expect([...topItemsById(t, 2)]).toEqual([
      ['a', 'One; i2'],
      ['b', 'j1'],
    ]);
  });
});
