import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { IssueValues } from '../../src/engine/errors.ts';
import { readPurchases } from '../../src/data/purchases.ts';
import { activityFeatures, MAX_COUNT_BY_VALUES, staticFeatureValues } from '../../src/data/sequence-tables.ts';

/** A sink that records the first failure and stops, as a node context does. */
function failSink(): { fail(code: string, values?: IssueValues, param?: string): never } {
  return {
    fail(code, values, param) {
      throw new Error(`${code} ${param ?? ''} ${JSON.stringify(values)}`);
    },
  };
}

const columns = { customer: 'c', product: 'p', quantity: 'q', basket: 'b', time: '', label: 'name' };

describe('readPurchases', () => {
  it('keeps purchase rows with dense ids and counts what it leaves out, by reason', () => {
    const t = table({
      c: ['u1', 'u1', 'u2', null, 'u2', 'u3'],
      p: ['A', 'B', 'A', 'A', 'C', 'B'],
      q: [2, 1, -1, 1, null, 3],
      b: ['i1', 'i1', 'i2', 'i3', 'i4', ''],
      name: ['Apple', '', 'ignored', 'x', 'y', 'Banana'],
    });
    const r = readPurchases(t, columns, failSink());
    expect([r.users, r.items, r.counts, r.baskets, r.times]).toEqual([[0, 0, 1], [0, 1, 1], [2, 1, 3], [0, 0, 1], [0, 1, 5]]);
    expect(r.customers.values).toEqual(['u1', 'u3']);
    expect(r.products.values).toEqual(['A', 'B']);
    // The first row of a product with a name names it; a blank name leaves the key until a later row names it.
    expect(r.productLabel).toEqual(['Apple', 'Banana']);
    expect(r.skipped).toEqual({ missing: 1, invalid: 1, returns: 1 });
  });

  it('stops on text in the quantity column and on an unreadable time, naming the row and value', () => {
    expect(() => readPurchases(table({ c: ['u'], p: ['A'], q: ['two'] }), { ...columns, basket: '', label: '' }, failSink())).toThrow('notNumeric quantityColumn {"column":"q","row":1,"value":"two"}');
    expect(() => readPurchases(table({ c: ['u'], p: ['A'], t: ['later'] }), { customer: 'c', product: 'p', quantity: '', basket: '', time: 't', label: '' }, failSink())).toThrow('badTime timeColumn {"column":"t","row":1,"value":"later"}');
  });
});

describe('sequence tables', () => {
  it('lists the features an activity table asks for, prefixed, skipping columns it lacks', () => {
    const t = table({ event: ['view', 'cart', 'view', 'buy'], amount: [1, 2, 'x', 4] });
    const { features, countByValues } = activityFeatures(t, { prefix: 'extra_', countRows: true, countBy: 'event', values: { amount: 'sum', missing: 'mean' } });
    expect(features.map((f) => [f.name, f.aggregation])).toEqual([
      ['extra_rows', 'count'],
      ['extra_event_buy', 'count'],
      ['extra_event_cart', 'count'],
      ['extra_event_view', 'count'],
      ['extra_amount_sum', 'sum'],
    ]);
    expect(Array.from(features[3]!.mask ?? [])).toEqual([1, 0, 1, 0]);
    expect(Array.from(features[4]!.values ?? [])).toEqual([1, 2, Number.NaN, 4]);
    expect(countByValues).toBe(3);
  });

  it('keeps only the most frequent count-by values and reports how many there were', () => {
    const values = Array.from({ length: MAX_COUNT_BY_VALUES + 4 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    const t = table({ kind: [...values, 'v19', 'v19'] });
    const { features, countByValues } = activityFeatures(t, { prefix: '', countRows: false, countBy: 'kind', values: {} });
    expect(countByValues).toBe(MAX_COUNT_BY_VALUES + 4);
    expect(features).toHaveLength(MAX_COUNT_BY_VALUES);
    expect(features.map((f) => f.name)).toContain('kind_v19');
  });

  it('joins static features by id, filling a gap with the column mean, and names a column with no value', () => {
    const statics = table({ id: ['b', 'a', 'a'], age: [40, 20, 99], score: ['x', null, 'y'] });
    expect(staticFeatureValues(statics, 'id', ['age'], ['a', 'b', 'c'])).toEqual({ values: Float64Array.from([20, 40, 30]), filled: 1, empty: null });
    expect(staticFeatureValues(statics, 'id', ['age', 'score'], ['a']).empty).toBe('score');
  });
});
