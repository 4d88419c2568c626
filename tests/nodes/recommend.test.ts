import { describe, expect, it } from 'vitest';
import { table } from 'arquero';
import { recommend } from '../../nodes/recommend.ts';
import { timeValue } from '../../src/data/cells.ts';
import type { SegmentsValue } from '../../nodes/define.ts';
import { runNode, runError, numbers, strings } from './decision-harness.ts';

/**
 * A hand-checked shop. Products get ids in order of appearance: p1=0, p2=1, p3=2, p4=3.
 * a: {p1,p2} then {p3}; b: {p1,p2,p3}; c: {p2,p3}; d: {p4} then {p4} again; e, f: {p4}.
 */
function shop() {
  const rows = [
    ['a', 'i1', '2024-01-01', 'p1', 1],
    ['a', 'i1', '2024-01-01', 'p2', 2],
    ['b', 'i2', '2024-01-02', 'p1', 1],
    ['b', 'i2', '2024-01-02', 'p2', 1],
    ['b', 'i2', '2024-01-02', 'p3', 1],
    ['c', 'i3', '2024-01-03', 'p2', 1],
    ['c', 'i3', '2024-01-03', 'p3', 1],
    ['d', 'i4', '2024-01-04', 'p4', 1],
    ['e', 'i5', '2024-01-05', 'p4', 1],
    ['f', 'i6', '2024-01-06', 'p4', 1],
    ['a', 'i7', '2024-02-01', 'p3', 1],
    ['d', 'i8', '2024-02-02', 'p4', 3],
  ] as const;
  return table({
    customer_id: rows.map((r) => r[0]),
    invoice_id: rows.map((r) => r[1]),
    timestamp: rows.map((r) => r[2]),
    product_id: rows.map((r) => r[3]),
    quantity: rows.map((r) => r[4]),
  });
}

const noSegments = { segments: undefined, products: undefined, rules: undefined };

function listOf(t: ReturnType<typeof shop>, id: string): { item: string; reason: string; source: string; rank: number }[] {
  const ids = strings(t, 'id');
  const items = strings(t, 'item');
  const reasons = strings(t, 'reason');
  const sources = strings(t, 'source');
  const ranks = numbers(t, 'rank');
  return ids.flatMap((v, i) => (v === id ? [{ item: items[i] ?? '', reason: reasons[i] ?? '', source: sources[i] ?? '', rank: ranks[i] ?? 0 }] : []));
}

describe('recommend node', () => {
  it('recommends unbought products with the bought product that contributed most as the reason, then popular ones', async () => {
    const { outputs, warnings } = await runNode(recommend, { transactions: shop(), ...noSegments }, { n: 2 });
    expect(warnings).toEqual([]);
    const recs = outputs.recommendations;
    expect(recs.columnNames()).toEqual(['id', 'rank', 'item', 'score', 'reason', 'source']);
    // c bought p2 and p3; p1 is 2/√6 similar to each, the tie goes to the lower product id (p2).
    expect(listOf(recs, 'c')).toEqual([
      { item: 'p1', reason: 'because you bought p2', source: 'item-item', rank: 1 },
      { item: 'p4', reason: 'popular: bought by 50% of customers', source: 'popular', rank: 2 },
    ]);
    const cRow = strings(recs, 'id').indexOf('c');
    expect(numbers(recs, 'score')[cRow]).toBeCloseTo(4 / Math.sqrt(6), 12);
    for (const [id, bought] of [['a', ['p1', 'p2', 'p3']], ['b', ['p1', 'p2', 'p3']], ['d', ['p4']]] as const) {
      for (const r of listOf(recs, id)) expect(bought).not.toContain(r.item);
    }
  });

  it('holds out the last basket and reports hit-rate, recall and MAP against popularity (hand-checked)', async () => {
    const { outputs, warnings } = await runNode(recommend, { transactions: shop(), ...noSegments }, { n: 2 });
    expect(warnings).toEqual([]);
    // Only a qualifies (d's last basket repeats p4). Trained without i7, item-item ranks p3
    // first (0.5 + 2/√6), so AP = 1; popularity ranks p4 (3 buyers) before p3, so AP = 1/2.
    expect(outputs.metrics.summary).toEqual({
      hit_rate: 1,
      recall: 1,
      map: 1,
      popularity_hit_rate: 1,
      popularity_recall: 1,
      popularity_map: 0.5,
      hit_rate_ratio: 1,
      recall_ratio: 1,
      map_ratio: 2,
      evaluated_customers: 1,
    });
    expect(outputs.metrics.detail.heldOutItems).toBe(1);
    expect(outputs.metrics.tables.comparison?.objects()).toEqual([
      { method: 'item-item', hit_rate: 1, recall: 1, map: 1 },
      { method: 'popularity', hit_rate: 1, recall: 1, map: 0.5 },
    ]);
  });

  it('says the baseline ratio is undefined when popularity finds nothing', async () => {
    const { outputs, warnings } = await runNode(recommend, { transactions: shop(), ...noSegments }, { n: 1 });
    expect(outputs.metrics.summary.recall).toBe(1);
    expect(outputs.metrics.summary.popularity_recall).toBe(0);
    expect(outputs.metrics.summary.recall_ratio).toBeNull();
    expect(warnings.map((w) => w.message)).toEqual(['Popularity found none of the held-out products, so the ratios are undefined.']);
  });

  it('gives cold-start customers from the segments input popularity within their segment', async () => {
    const segments: SegmentsValue = {
      assignments: table({ id: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], segment: [1, 1, 2, 2, 2, 2, 1], segment_name: ['S1', 'S1', 'S2', 'S2', 'S2', 'S2', 'S1'] }),
      profiles: table({ segment: [1, 2] }),
      curves: table({ k: [2] }),
      detail: {},
    };
    const on = await runNode(recommend, { transactions: shop(), segments, products: undefined, rules: undefined }, { n: 2, segmentPopularity: true });
    expect(listOf(on.outputs.recommendations, 'g')).toEqual([
      { item: 'p1', reason: 'popular in your segment (S1): bought by 100% of it', source: 'segment-popular', rank: 1 },
      { item: 'p2', reason: 'popular in your segment (S1): bought by 100% of it', source: 'segment-popular', rank: 2 },
    ]);
    expect(on.outputs.metrics.detail.coldStarts).toBe(1);
    // Overall, p2, p3 and p4 each have 3 buyers of 6; ties go to the lower product id.
    const off = await runNode(recommend, { transactions: shop(), segments, products: undefined, rules: undefined }, { n: 2 });
    expect(listOf(off.outputs.recommendations, 'g')).toEqual([
      { item: 'p2', reason: 'popular: bought by 50% of customers', source: 'popular', rank: 1 },
      { item: 'p3', reason: 'popular: bought by 50% of customers', source: 'popular', rank: 2 },
    ]);
  });

  it('uses product names in reasons when a name column is given', async () => {
    const named = shop().derive({ name: (d: { product_id: string }) => `Name of ${d.product_id}` });
    const { outputs } = await runNode(recommend, { transactions: named, ...noSegments }, { n: 1, labelColumn: 'name' });
    expect(listOf(outputs.recommendations, 'c')[0]?.reason).toBe('because you bought Name of p2');
    expect(strings(outputs.recommendations, 'item_name')[0]).toMatch(/^Name of p\d$/);
  });

  it('takes product names from the products input when the transactions carry none', async () => {
    const products = table({ product_id: ['p1', 'p2', 'p3', 'p4'], name: ['Apples', 'Bread', 'Cheese', 'Dates'] });
    const { outputs } = await runNode(recommend, { transactions: shop(), segments: undefined, products, rules: undefined }, { n: 1 });
    expect(listOf(outputs.recommendations, 'c')[0]?.reason).toBe('because you bought Bread');
    expect(strings(outputs.recommendations, 'item_name')[strings(outputs.recommendations, 'id').indexOf('c')]).toBe('Apples');
    const wrong = await runError(runNode(recommend, { transactions: shop(), segments: undefined, products, rules: undefined }, { productName: 'title' }));
    expect(wrong.param).toBe('productName');
  });

  it('falls back to a random held-out item without a basket column, and counts rows it leaves out', async () => {
    const t = shop().assign(table({ quantity: [1, 2, -1, 1, 1, 1, 1, 1, 1, 1, 1, 3] }));
    const withGap = t.concat(table({ customer_id: [null], invoice_id: ['i9'], timestamp: ['2024-03-01'], product_id: ['p1'], quantity: [1] }));
    const { outputs, warnings } = await runNode(recommend, { transactions: withGap, ...noSegments }, { basketColumn: '', timeColumn: '' });
    expect(warnings.map((w) => w.message)).toEqual([
      '2 of 13 rows left out: 1 without a customer or product, 0 with a missing quantity or time, 1 with quantity ≤ 0 (returns).',
      'Holdout "last-basket" needs a basket column; used "random-item" instead.',
    ]);
    expect(outputs.metrics.detail.split).toBe('one random item from each basket with ≥ 2 distinct items (seeded)');
    // a, b (p2, p3 left) and c have two products or more.
    expect(outputs.metrics.summary.evaluated_customers).toBe(3);
  });

  it('says how many customers the history cap cut, and still leaves out everything they bought', async () => {
    // a and b bought three distinct products each; a cap of 2 keeps their two most-bought (ties: lower id).
    const { outputs, warnings } = await runNode(recommend, { transactions: shop(), ...noSegments }, { maxHistory: 2, holdout: 'none' });
    expect(warnings.map((w) => w.message)).toEqual([
      '2 of 6 customers bought more than 2 distinct products (History cap): the similarity counts only their 2 most-bought, which bounds its cost; their lists still leave out everything they bought.',
    ]);
    expect(outputs.metrics.detail.cappedCustomers).toBe(2);
    const recs = outputs.recommendations;
    for (const id of ['a', 'b']) expect(listOf(recs, id).map((r) => r.item)).toEqual(['p4']);
    const uncapped = await runNode(recommend, { transactions: shop(), ...noSegments }, { maxHistory: 3, holdout: 'none' });
    expect(uncapped.warnings).toEqual([]);
    expect(uncapped.outputs.metrics.detail.cappedCustomers).toBe(0);
  });

  it('lists nobody, with a warning, when no product is left (all returns)', async () => {
    const t = shop().assign(table({ quantity: Array.from({ length: 12 }, () => -1) }));
    const { outputs, warnings } = await runNode(recommend, { transactions: t, ...noSegments });
    expect(outputs.recommendations.numRows()).toBe(0);
    expect(warnings.map((w) => w.code)).toEqual(['recommend.skipped', 'recommend.noInteractions', 'recommend.noEvaluation']);
    expect(outputs.metrics.summary.recall).toBeNull();
  });

  it('handles one customer: nothing unbought is popular, so the list is empty and nothing is evaluated', async () => {
    const t = shop().filter((d: { customer_id: string }) => d.customer_id === 'b');
    const { outputs, warnings } = await runNode(recommend, { transactions: t, ...noSegments });
    expect(outputs.recommendations.numRows()).toBe(0);
    expect(warnings.map((w) => w.message)).toEqual(['Offline evaluation skipped: no customer qualifies for holdout "last-basket" (it needs two baskets with a new product in the last, or two products for "random-item").']);
  });

  it('fails with declared messages on text quantities, bad times and missing columns', async () => {
    const text = shop().assign(table({ quantity: Array.from({ length: 12 }, () => 'x') }));
    expect(await runError(runNode(recommend, { transactions: text, ...noSegments }))).toEqual({
      code: 'recommend.notNumeric',
      message: 'Column "quantity" must hold numbers; row 1 holds "x".',
      param: 'quantityColumn',
    });
    const badTime = shop().assign(table({ timestamp: Array.from({ length: 12 }, () => 'soon') }));
    expect((await runError(runNode(recommend, { transactions: badTime, ...noSegments }))).message).toBe(
      'Time column "timestamp" has "soon" at row 1, which is not a date or time.',
    );
    const missing = await runError(runNode(recommend, { transactions: shop(), ...noSegments }, { productColumn: 'sku' }));
    expect(missing.code).toBe('column.missing');
    expect(missing.param).toBe('productColumn');
  });
});

describe('time values', () => {
  it('read numbers, Dates and ISO text (UTC when no zone is given)', () => {
    expect(timeValue(5)).toBe(5);
    expect(timeValue(new Date(Date.UTC(2011, 0, 2)))).toBe(Date.UTC(2011, 0, 2));
    expect(timeValue('2010-12-01 08:45:00')).toBe(Date.UTC(2010, 11, 1, 8, 45));
    expect(timeValue('2010-12-01T08:45:00+01:00')).toBe(Date.UTC(2010, 11, 1, 7, 45));
    expect(timeValue('2010-12-01')).toBe(Date.UTC(2010, 11, 1));
    expect(timeValue('2010-12-01 08:45')).toBe(Date.UTC(2010, 11, 1, 8, 45));
    expect(timeValue(' 2010-12-01T08:45:07 ')).toBe(Date.UTC(2010, 11, 1, 8, 45, 7));
    expect(timeValue('2024-02-30')).toBeNaN();
    expect(timeValue('2010-12-01 25:00:00')).toBeNaN();
    expect(timeValue('')).toBeNaN();
    expect(timeValue(null)).toBeNaN();
  });
});
