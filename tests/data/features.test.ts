import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanTable } from '../../src/data/clean.ts';
import { columnValues, gather, keptRows, makeTable, selectRows, storedColumns } from '../../src/data/columns.ts';
import { categorySlug, customerFeatures, type FeatureOptions } from '../../src/data/features.ts';
import { readTable } from '../../src/data/read.ts';
import { independentRfm } from './plain-rfm.ts';

const names = { time: 'time', quantity: 'qty', price: 'price', category: 'category' };
const options = (extra: Partial<FeatureOptions> = {}): FeatureOptions => ({ referenceMs: null, wholeDays: true, maxCategories: 12, names, ...extra });
const t = (iso: string) => new Date(`${iso}Z`);

/** Features as plain objects keyed by customer id. */
function byCustomer(result: ReturnType<typeof customerFeatures>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  result.ids.forEach((id, i) => {
    out[String(id)] = Object.fromEntries(result.columns.map((c) => [c.name, c.values[i]!]));
  });
  return out;
}

describe('customerFeatures', () => {
  const tx = {
    customer: ['b', 'a', 'a', 'b', 'a', 'a'],
    invoice: ['i1', 'i2', 'i2', 'i3', 'i4', 'i4'],
    time: [t('2011-01-01T10:00:00'), t('2011-01-05T12:00:00'), t('2011-01-05T12:00:00'), t('2011-01-10T09:00:00'), t('2011-01-20T18:00:00'), t('2011-01-20T18:00:00')],
    quantity: [2, 1, 3, 1, 10, 1],
    price: [5, 2.5, 1, 4, 0.5, 20],
    product: ['p1', 'p2', 'p3', 'p1', 'p2', 'p2'],
    category: ['toys', 'books', 'garden', 'toys', 'books', 'books'],
  };

  it('computes recency, frequency, monetary, tenure, basket value and distinct products per customer, in id order', () => {
    const result = customerFeatures(tx, options());
    expect(result.ids).toEqual(['a', 'b']);
    expect(result.referenceMs).toBe(t('2011-01-21T18:00:00').getTime());
    const f = byCustomer(result);
    expect(f.a).toMatchObject({ recency_days: 1, frequency: 2, monetary: 2.5 + 3 + 5 + 20, tenure_days: 16, avg_basket_value: 30.5 / 2, distinct_products: 2 });
    expect(f.b).toMatchObject({ recency_days: 11, frequency: 2, monetary: 14, tenure_days: 20, avg_basket_value: 7, distinct_products: 1 });
  });

  it('gives category shares of each customer’s spend, summing to 1', () => {
    const f = byCustomer(customerFeatures(tx, options()));
    expect(f.a).toMatchObject({ share_books: 27.5 / 30.5, share_garden: 3 / 30.5, share_toys: 0 });
    expect(f.b).toMatchObject({ share_books: 0, share_garden: 0, share_toys: 1 });
    const grouped = customerFeatures(tx, options({ maxCategories: 1 }));
    expect(grouped.columns.map((c) => c.name)).toEqual(['recency_days', 'frequency', 'monetary', 'tenure_days', 'avg_basket_value', 'distinct_products', 'share_books', 'share_other']);
    expect(grouped.notes).toContainEqual({ code: 'categoriesGrouped', values: { column: 'category', count: 3, kept: 1 } });
    expect(byCustomer(grouped).a).toMatchObject({ share_books: 27.5 / 30.5, share_other: 3 / 30.5 });
  });

  it('uses a given reference date, in fractional days when asked, and warns about later purchases', () => {
    const reference = t('2011-01-15T00:00:00').getTime();
    const result = customerFeatures(tx, options({ referenceMs: reference, wholeDays: false }));
    const f = byCustomer(result);
    expect(f.a!.recency_days).toBeCloseTo(-(5 * 24 + 18) / 24, 12);
    expect(f.b!.recency_days).toBeCloseTo((5 * 24 - 9) / 24, 12);
    expect(result.notes).toEqual([{ code: 'afterReference', values: { count: 1, reference: '2011-01-15' } }]);
  });

  it('leaves out rows without a customer or a readable time, and counts rows without an amount', () => {
    const result = customerFeatures(
      { customer: ['a', null, 'a', 'a'], invoice: ['i1', 'i2', 'i3', null], time: ['2011-01-01 10:00:00', '2011-01-02', 'soon', t('2011-01-03T00:00:00')], quantity: [1, 1, 1, null], price: [2, 2, 2, 2] },
      options(),
    );
    expect(byCustomer(result).a).toEqual({ recency_days: 1, frequency: 1, monetary: 2, tenure_days: 2, avg_basket_value: 2 });
    expect(result.notes).toEqual([
      { code: 'skippedCustomer', values: { count: 1 } },
      { code: 'skippedTime', values: { count: 1, column: 'time', example: 'soon' } },
      { code: 'skippedAmount', values: { count: 1 } },
      { code: 'skippedInvoice', values: { count: 1 } },
    ]);
  });

  it('refuses a time column with no readable time and a text quantity, naming the column', () => {
    expect(() => customerFeatures({ customer: ['a'], invoice: ['i'], time: ['later'], quantity: [1], price: [1] }, options())).toThrow('Column "time" in parameter "time" must hold dates or times; none of its cells reads as one (such as "later").');
    expect(() => customerFeatures({ customer: ['a'], invoice: ['i'], time: [t('2011-01-01T00:00:00')], quantity: ['x'], price: [1] }, options())).toThrow('Column "qty" in parameter "quantity" must hold numbers; it holds values such as "x".');
  });

  it('gives an empty result, with a note, for no transactions', () => {
    const result = customerFeatures({ customer: [], invoice: [], time: [], quantity: [], price: [] }, options());
    expect(result.ids).toEqual([]);
    expect(result.columns.every((c) => c.values.length === 0)).toBe(true);
    expect(result.notes).toEqual([{ code: 'noTransactions', values: {} }]);
  });

  it('with a history cutoff counts only rows before that midnight and measures recency and tenure to it (hand-computed)', () => {
    const cutoff = t('2011-01-10T00:00:00').getTime();
    const result = customerFeatures(tx, options({ beforeMs: cutoff }));
    expect(result.ids).toEqual(['a', 'b']);
    expect(result.referenceMs).toBe(cutoff);
    // Left out: b's row of 01-10 09:00 (the cutoff day) and a's two lines of 01-20.
    expect(result.afterCutoff).toBe(3);
    const f = byCustomer(result);
    // a: one invoice (i2, 01-05 12:00) of 1 × 2.5 + 3 × 1; 4.5 days before the cutoff, whole days 4.
    expect(f.a).toMatchObject({ recency_days: 4, frequency: 1, monetary: 5.5, tenure_days: 4, avg_basket_value: 5.5, distinct_products: 2 });
    // b: one invoice (i1, 01-01 10:00) of 2 × 5; 8 days 14 hours before the cutoff.
    expect(f.b).toMatchObject({ recency_days: 8, frequency: 1, monetary: 10, tenure_days: 8, avg_basket_value: 10, distinct_products: 1 });
    expect(result.notes).toEqual([]);
  });

  it('with a history cutoff gives the same numbers whatever happens at or after it: nothing leaks from the label window', () => {
    const cutoff = t('2011-01-10T00:00:00').getTime();
    const before = customerFeatures(tx, options({ beforeMs: cutoff }));
    // Later rows changed, a row exactly at the cutoff's midnight, and a customer who first buys after it.
    const later = {
      customer: [...tx.customer, 'a', 'c'],
      invoice: [...tx.invoice, 'i5', 'i6'],
      time: [...tx.time.slice(0, 3), t('2011-01-10T00:00:00'), t('2011-03-01T00:00:00'), t('2011-01-11T00:00:00'), t('2011-01-10T00:00:00'), t('2011-02-01T00:00:00')],
      quantity: [...tx.quantity.slice(0, 3), 99, 99, 99, 7, 3],
      price: [...tx.price.slice(0, 3), 9, 9, 9, 100, 1],
      product: [...tx.product, 'p9', 'p9'],
      category: [...tx.category, 'toys', 'toys'],
    };
    const after = customerFeatures(later, options({ beforeMs: cutoff }));
    expect(after.ids).toEqual(before.ids);
    expect(after.columns.map((c) => [c.name, Array.from(c.values)])).toEqual(before.columns.map((c) => [c.name, Array.from(c.values)]));
    expect(after.afterCutoff).toBe(5);
    // A reference date, when given, still wins over the cutoff.
    const reference = t('2011-01-15T00:00:00').getTime();
    expect(byCustomer(customerFeatures(tx, options({ beforeMs: cutoff, referenceMs: reference }))).a).toMatchObject({ recency_days: 9, tenure_days: 9 });
  });

  it('makes column-name fragments from category names', () => {
    expect(['Home & Garden', 'Café', '  ', '玩具'].map(categorySlug)).toEqual(['home_garden', 'cafe', 'blank', '玩具']);
  });
});

describe('RFM on the Online Retail fixture', () => {
  it('equals an independent plain-loop computation (cancellations, non-positive quantities and prices, and rows without a customer removed)', async () => {
    const bytes = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', 'online-retail-subset.csv'));
    const expected = independentRfm(bytes.toString('utf8'));

    // Ours: read → clean → features.
    const { table } = await readTable({ name: 'online-retail-subset.csv', bytes: new Uint8Array(bytes) });
    const cleaned = cleanTable(table, {
      dropDuplicates: false,
      conditions: [
        { column: 'InvoiceNo', op: 'not-starts-with', value: 'C' },
        { column: 'Quantity', op: '>', value: 0 },
        { column: 'UnitPrice', op: '>', value: 0 },
        { column: 'CustomerID', op: 'not-missing', value: null },
      ],
    }).table;
    const col = (name: string) => columnValues(cleaned, name);
    const result = customerFeatures(
      { customer: col('CustomerID'), invoice: col('InvoiceNo'), time: col('InvoiceDate'), quantity: col('Quantity'), price: col('UnitPrice') },
      { referenceMs: null, wholeDays: true, maxCategories: 12, names: { time: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', category: '' } },
    );
    const ours = byCustomer(result);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(ours)).toHaveLength(35);
    for (const [id, e] of Object.entries(expected)) {
      const o = ours[id]!;
      expect({ recency_days: o.recency_days, frequency: o.frequency }, id).toEqual({ recency_days: e.recency_days, frequency: e.frequency });
      expect(Math.abs(o.monetary! - e.monetary), `monetary of ${id}`).toBeLessThanOrEqual(1e-9 * Math.max(1, e.monetary));
    }
  });
});

describe('customerFeatures counts and orders like a plain reference, whatever the id types', () => {
  /** Distinct invoices and products per customer with Sets of canonical keys, customers in ascending id order. */
  function reference(customer: readonly number[], invoice: ArrayLike<unknown>, product: ArrayLike<unknown>): { ids: number[]; frequency: number[]; products: number[] } {
    const key = (v: unknown): string | null => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : `${typeof v} ${Object.is(v, -0) ? 0 : String(v)}`);
    const per = new Map<number, { invoices: Set<string>; products: Set<string> }>();
    customer.forEach((c, i) => {
      const entry = per.get(c) ?? { invoices: new Set<string>(), products: new Set<string>() };
      per.set(c, entry);
      const inv = key(invoice[i]);
      const prod = key(product[i]);
      if (inv !== null) entry.invoices.add(inv);
      if (prod !== null) entry.products.add(prod);
    });
    const ids = [...per.keys()].sort((a, b) => a - b);
    return { ids, frequency: ids.map((c) => per.get(c)!.invoices.size), products: ids.map((c) => per.get(c)!.products.size) };
  }

  it('for product ids that are small whole numbers, wide whole numbers, fractions with −0 and NaN, or text', () => {
    let state = 12345;
    const next = (k: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % k;
    };
    const rows = 5000;
    const customer = Array.from({ length: rows }, () => next(300) - 150);
    const time = Array.from({ length: rows }, () => new Date(Date.UTC(2011, 0, 1 + next(90))));
    const base = Array.from({ length: rows }, () => next(400));
    const productSets: [string, ArrayLike<unknown>][] = [
      ['small whole numbers', Float64Array.from(base, (b) => 20000 + b)],
      ['whole numbers over a span of 2^30', Float64Array.from(base, (b) => b * 2 ** 22)],
      ['fractions, −0 and NaN', Float64Array.from(base, (b) => (b === 0 ? -0 : b === 1 ? 0 : b === 2 ? Number.NaN : b / 7))],
      ['text', base.map((b) => (b === 3 ? null : `p${b}`))],
    ];
    const invoice = Float64Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? Number.NaN : Math.floor(i / 3)));
    for (const [label, product] of productSets) {
      const result = customerFeatures({ customer, invoice, time, quantity: new Float64Array(rows).fill(1), price: new Float64Array(rows).fill(2), product }, options());
      const expected = reference(customer, invoice, product);
      expect(result.ids, label).toEqual(expected.ids);
      expect(Array.from(result.columns.find((c) => c.name === 'frequency')!.values), label).toEqual(expected.frequency);
      expect(Array.from(result.columns.find((c) => c.name === 'distinct_products')!.values), label).toEqual(expected.products);
    }
  });
});

describe('storedColumns of a filtered table', () => {
  it('gives the kept rows as ascending stored indices, whole 32-row words and single rows alike', () => {
    const n = 200;
    const keep = Uint8Array.from({ length: n }, (_, i) => (i === 5 || (i >= 64 && i < 160 && i !== 100) || i === 199 ? 1 : 0));
    const table = makeTable(['x'], [Float64Array.from({ length: n }, (_, i) => i)]);
    const stored = storedColumns(selectRows(table, keep), ['x']);
    expect(Array.from(stored.rows!)).toEqual(Array.from(keptRows(keep)));
    expect(stored.columns[0]).toBe(table.column('x'));
  });
});

describe('customerFeatures through a filtered table (storedColumns: stored arrays and kept row indices)', () => {
  it('gives what the copied kept rows give: same ids, order, ties, values and notes, removed rows not counted', () => {
    let state = 777;
    const next = (k: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % k;
    };
    const n = 3000;
    const keep = Uint8Array.from({ length: n }, () => (next(10) < 6 ? 1 : 0));
    // Removed rows hold what kept rows may not: text quantities, missing customers and times.
    const customer = Array.from({ length: n }, (_, i) => (keep[i] ? (next(40) === 0 ? null : next(120)) : null));
    const invoice = Array.from({ length: n }, (_, i) => (next(50) === 0 ? null : `inv${Math.floor(i / 4)}`));
    // Whole days, few of them: many customers tie on recency and tenure.
    const time = Array.from({ length: n }, (_, i) => (keep[i] || next(2) === 0 ? new Date(Date.UTC(2011, 0, 1 + next(20))) : null));
    const quantity = Array.from({ length: n }, (_, i) => (keep[i] ? (next(30) === 0 ? null : next(5) + 1) : 'text'));
    const price = Float64Array.from({ length: n }, (_, i) => (keep[i] ? 1 + next(3) : Number.NaN));
    const product = Float64Array.from({ length: n }, () => 20000 + next(60));
    const category = Array.from({ length: n }, () => ['toys', 'books', 'garden', 'food'][next(4)]!);
    const names = ['customer', 'invoice', 'time', 'quantity', 'price', 'product', 'category'];
    const table = makeTable(names, [customer, invoice, time, quantity, price, product, category]);
    const view = selectRows(table, keep);
    const stored = storedColumns(view, names);
    expect(stored.rows).toEqual(keptRows(keep));
    expect(stored.length).toBe(n);
    const copy = names.map((name) => gather(columnValues(table, name), keptRows(keep)));
    for (const extra of [{}, { beforeMs: Date.UTC(2011, 0, 12) }, { maxCategories: 2 }]) {
      const fromView = customerFeatures(
        { customer: stored.columns[0]!, invoice: stored.columns[1]!, time: stored.columns[2]!, quantity: stored.columns[3]!, price: stored.columns[4]!, product: stored.columns[5]!, category: stored.columns[6]!, rows: stored.rows },
        options(extra),
      );
      const fromCopy = customerFeatures({ customer: copy[0]!, invoice: copy[1]!, time: copy[2]!, quantity: copy[3]!, price: copy[4]!, product: copy[5]!, category: copy[6]! }, options(extra));
      expect(fromView).toEqual(fromCopy);
      expect(fromView.ids.length).toBeGreaterThan(50);
    }
  });
});
