import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { activitySources, customerUniverse, featureText, horizonLabelling, sequenceFeatureTexts, withStaticFeatures } from '../../src/data/sequence-tables.ts';
import { buildSequences, labelCounts, rowsAtOrAfter } from '../../src/data/sequences.ts';

const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);

describe('activitySources', () => {
  it('reads ids, times and prefixed features per table, counts count-by values and calls the checkpoint after each table', () => {
    const a = table({ id: ['x', 'y', null], t: ['2024-01-02', 'not a date', '2024-01-03'], event: ['view', 'buy', 'view'] });
    const b = table({ id: ['x'], t: ['2024-01-05'] });
    let checks = 0;
    const read = activitySources([{ prefix: 'a_', table: a }, { prefix: 'b_', table: b }], 'id', 't', { countRows: true, countBy: 'event', values: {} }, () => checks++);
    expect(checks).toBe(2);
    expect(read.anyTime).toBe(true);
    expect(read.countByValues).toEqual([2, 0]);
    expect(Array.from(read.sources[0]?.ids ?? [])).toEqual(['x', 'y', null]);
    expect(Array.from(read.sources[0]?.times ?? [])).toEqual([day('2024-01-02'), Number.NaN, day('2024-01-03')]);
    expect(read.sources.map((s) => s.features.map((f) => f.name))).toEqual([['a_rows', 'a_event_buy', 'a_event_view'], ['b_rows']]);
  });

  it('says when no row has a readable time', () => {
    expect(activitySources([{ prefix: '', table: table({ id: ['x'], t: ['never'] }) }], 'id', 't', { countRows: true, countBy: '', values: {} }).anyTime).toBe(false);
  });
});

describe('features in words', () => {
  it('names each feature from its definition in English and Chinese, a static column by its name', () => {
    const tx = table({ id: ['x'], t: ['2024-01-02'], quantity: [2], price: [9.5] });
    const events = table({ id: ['x', 'x', 'x'], t: ['2024-01-02', '2024-01-03', '2024-01-03'], event: ['cart', 'view', 'search'] });
    const read = activitySources([{ prefix: 'table_', table: tx }, { prefix: 'extra_', table: events }], 'id', 't', { countRows: true, countBy: 'event', values: { quantity: 'sum', price: 'mean' } });
    expect(read.sources.flatMap((s) => s.features.map((f) => f.name))).toEqual(['table_rows', 'table_quantity_sum', 'table_price_mean', 'extra_rows', 'extra_event_cart', 'extra_event_search', 'extra_event_view']);
    expect(sequenceFeatureTexts(read.sources, ['recency_days'])).toEqual([
      { en: 'activity rows', zh: '活动记录数' },
      { en: 'total quantity', zh: 'quantity 合计' },
      { en: 'average price', zh: 'price 平均值' },
      { en: 'extra activity rows', zh: '补充活动记录数' },
      { en: 'cart events', zh: 'cart（event）次数' },
      { en: 'search events', zh: 'search（event）次数' },
      { en: 'view events', zh: 'view（event）次数' },
      { en: 'recency_days', zh: 'recency_days' },
    ]);
  });

  it('pluralises a one-word count-by column, says "rows with" otherwise, and tells apart two features with the same words', () => {
    expect([featureText({ extra: false, kind: 'countBy', column: 'category', value: 'Books' }).en, featureText({ extra: false, kind: 'countBy', column: 'status', value: 'paid' }).en, featureText({ extra: false, kind: 'countBy', column: 'event_type', value: 'cart' }).en]).toEqual(['Books categories', 'paid statuses', 'rows with event_type cart']);
    const both = activitySources([{ prefix: 'table_', table: table({ id: ['x'], t: ['2024-01-02'], event: ['cart'] }) }, { prefix: 'extra_', table: table({ id: ['x'], t: ['2024-01-02'], event: ['cart'] }) }], 'id', 't', { countRows: false, countBy: 'event', values: {} });
    expect(sequenceFeatureTexts(both.sources, []).map((t) => t.en)).toEqual(['cart events (table_event_cart)', 'cart events (extra_event_cart)']);
  });
});

describe('customerUniverse', () => {
  it('lists distinct ids in first-seen order with the label of each first row, and counts repeats', () => {
    const read = customerUniverse(table({ id: ['b', 'a', 'b', null, 'c'], y: ['yes', 0, 'no', 1, ''] }), 'id', 'y');
    expect(read.universe).toEqual(['b', 'a', 'c']);
    expect(Array.from(read.labels ?? [])).toEqual([1, 0, Number.NaN]);
    expect(read.duplicates).toBe(1);
    expect(read.badLabel).toBeNull();
  });

  it('reads no labels without a label column, and names the first customer whose label is not 0/1', () => {
    expect(customerUniverse(table({ id: ['a'], y: [7] }), 'id', null).labels).toBeNull();
    expect(customerUniverse(table({ id: ['a', 'b'], y: [1, 'maybe'] }), 'id', 'y').badLabel).toEqual({ id: 'b', value: 'maybe' });
  });
});

describe('horizonLabelling', () => {
  const main = { ids: ['a', 'b', 'b', 'c'], times: [day('2024-02-01'), day('2024-02-03'), day('2024-03-05'), day('2024-01-01')], features: [] };
  it('labels customers with a row in [cutoff, horizon end) and counts the rows in and after the window', () => {
    const r = horizonLabelling(main, ['a', 'b', 'c'], day('2024-02-01'), day('2024-03-01'), null);
    expect(Array.from(r.labels)).toEqual([1, 1, 0]);
    expect(r.rowsInHorizon).toBe(2);
    expect(r.rowsAfter).toBe(1);
  });

  it('counts only rows whose positive cell is above 0', () => {
    const r = horizonLabelling(main, ['a', 'b', 'c'], day('2024-02-01'), day('2024-03-01'), [-2, 3, 1, 1]);
    expect(Array.from(r.labels)).toEqual([0, 1, 0]);
    expect(r.rowsInHorizon).toBe(1);
  });
});

describe('withStaticFeatures', () => {
  const built = buildSequences([{ ids: ['a', 'b'], times: [day('2024-01-01'), day('2024-01-08')], features: [{ name: 'rows', aggregation: 'count' }] }], { cutoffMs: day('2024-01-15'), period: 'week', steps: 2, universe: null });
  it('appends each static column to every step, the column mean where a customer has none', () => {
    const r = withStaticFeatures(built, table({ id: ['a'], m: [4] }), 'id', ['m']);
    expect(r.featureNames).toEqual(['rows', 'm']);
    expect(r.filled).toBe(1);
    expect(r.empty).toBeNull();
    expect(Array.from(r.x)).toEqual([1, 4, 0, 4, 0, 4, 1, 4]);
  });

  it('names a column with no number for any customer and leaves the sequences as built', () => {
    const r = withStaticFeatures(built, table({ id: ['a'], m: ['n/a'] }), 'id', ['m']);
    expect(r.empty).toBe('m');
    expect(r.x).toBe(built.x);
    expect(r.featureNames).toEqual(['rows']);
  });
});

describe('label and row counts', () => {
  it('counts missing, known and positive labels', () => {
    expect(labelCounts([1, 0, Number.NaN, 1])).toEqual({ missing: 1, known: 3, positives: 2 });
  });
  it('counts rows at or after an instant, leaving NaN times out', () => {
    expect(rowsAtOrAfter([1, 2, 3, Number.NaN], 2)).toBe(2);
  });
});
