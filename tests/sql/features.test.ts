import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;

function doc(params: Record<string, unknown>): PipelineDocument {
  return {
    format: 'insight-pipeline', version: 1, name: 'features', description: '', seed: 1, notes: [],
    nodes: [
      { id: 'feed', kind: 'feed', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'f', kind: 'features', version: 1, params, position: [0, 0], note: '' },
      { id: 'n', kind: 'normalise', version: 1, params: { columns: ['recency_days', 'frequency', 'monetary'] }, position: [0, 0], note: '' },
    ],
    edges: [
      { from: ['feed', 'out'], to: ['f', 'table'] },
      { from: ['f', 'table'], to: ['n', 'table'] },
    ],
  };
}

async function compare(table: ColumnTable, params: Record<string, unknown>): Promise<{ engine: string | undefined; codes: string[] }> {
  const feed: AnyNodeSpec = { kind: 'feed', version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: table }) };
  const d = doc(params);
  const a = await runWith('default', d, { feed });
  const b = await runWith('duckdb', d, { feed });
  for (const id of ['f', 'n']) {
    expect(b.statuses[id]?.state, id).toBe(a.statuses[id]?.state);
    expect(b.statuses[id]?.issues.map((i) => i.message), id).toEqual(a.statuses[id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[id], b.outputs[id], TOL, id)).toEqual([]);
  }
  return { engine: b.covered.get('f')?.engine, codes: (a.statuses.f?.issues ?? []).map((i) => i.code) };
}

const d = (s: string) => new Date(s);
const tx = (): ColumnTable =>
  aq.table({
    customer: ['b', 'a', 'b', null, 'c', 'a', 'c', 'd', "o'neil; --", '客户'],
    invoice: ['i1', 'i2', 'i1', 'i3', null, 'i4', 'i5', 'i6', 'i7', 'i8'],
    time: [d('2024-01-02T10:00:00Z'), d('2024-01-05T00:00:00Z'), d('2024-02-01T23:59:59Z'), d('2024-02-02T00:00:00Z'), d('2024-03-01T12:00:00Z'), null, d('2024-03-02T00:00:00Z'), d('2024-03-03T08:00:00Z'), d('2024-01-01T00:00:00Z'), d('2024-02-10T00:00:00Z')],
    qty: [1, 2, 3, 4, 1, 2, null, 5, 1, 2],
    price: [2.5, 3, 1.1, 10, 4, 2, 7, 0.3, 9.99, 1],
    sku: ['p1', 'p2', 'p1', 'p3', 'p2', 'p1', 'p4', 'p1', 'p2', 'p2'],
  });

const base = { customer: 'customer', invoice: 'invoice', time: 'time', quantity: 'qty', price: 'price' };

describe('--engine duckdb: features (RFM, tenure, basket, distinct products) equal the default engine to 1e-9', () => {
  it('text ids with gaps: the same customers in the same order, the same figures and the same warnings', async () => {
    const r = await compare(tx(), { ...base, product: 'sku' });
    expect(r.engine).toBe('duckdb');
    expect(r.codes).toEqual(['features.skippedCustomer', 'features.skippedTime', 'features.skippedAmount', 'features.skippedInvoice']);
  });

  it('a reference date before some purchases, fractional days', async () => {
    const r = await compare(tx(), { ...base, referenceDate: '2024-02-15', wholeDays: false });
    expect(r.engine).toBe('duckdb');
    expect(r.codes).toContain('features.afterReference');
  });

  it('numeric customer ids sort as numbers', async () => {
    const t = tx().derive({ customer: aq.escape((row: { customer: string | null }) => (row.customer === null ? null : row.customer.length * 10 + row.customer.charCodeAt(0) / 1000)) });
    const r = await compare(t, { ...base, product: 'sku' });
    expect(r.engine).toBe('duckdb');
  });

  it('time as text, categories that are numbers and a non-numeric quantity stay in the default engine', async () => {
    const t = tx().derive({ time: aq.escape((row: { time: Date | null }) => (row.time === null ? null : row.time.toISOString())) });
    expect((await compare(t, base)).engine).toBe('default');
    expect((await compare(tx(), { ...base, category: 'qty' })).engine).toBe('default');
    expect((await compare(tx().derive({ qty: () => 'x' }), base)).engine).toBe('default');
  });

  it('a history cutoff stays in the default engine, so no row after it is counted', async () => {
    expect((await compare(tx(), { ...base, product: 'sku', cutoff: '2024-02-02' })).engine).toBe('default');
  });

  it('an empty table stays in the default engine with its warning', async () => {
    const r = await compare(tx().slice(0, 0), base);
    expect(r.engine).toBe('default');
  });
});

/** Transactions with categories that tie, repeat after normalisation, go missing, spend nothing or spend below 0. */
const shopping = (): ColumnTable =>
  aq.table({
    customer: ['b', 'a', 'b', 'a', 'c', 'c', 'd', 'd', 'e', 'a', null, 'f', 'b'],
    invoice: ['i1', 'i2', 'i1', 'i3', 'i4', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9', 'i10', 'i11'],
    time: ['2024-01-02', '2024-01-05', '2024-01-02', '2024-02-01', '2024-02-03', '2024-02-03', '2024-03-01', '2024-03-02', '2024-03-05', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12'].map(d),
    qty: [1, 2, 3, 1, 2, 1, 1, 1, 4, null, 1, 1, 1],
    price: [10, 5, 0.1, 2.5, 5, 7.3, 4, -6, 0.2, 3, 9, 0, 0.7],
    // 'Home & Kitchen' and 'home kitchen' share a slug; 'Café' and 'Cafe' share one after NFKD; 'x' and 'y' tie at 10 (x first by label);
    // 'other' takes share_other's name; a missing category and an empty one.
    cat: ['x', 'y', 'Home & Kitchen', 'home kitchen', 'Café', 'Cafe', 'other', null, '', 'never priced', 'x', 'x', "it's; --"],
  });

describe('--engine duckdb: category shares equal the default engine (columns, names, order and figures)', () => {
  const withCategory = { ...base, category: 'cat' };

  it('every category its own column: ties by label, repeated slugs numbered, missing categories left out, missing shares where spend ≤ 0', async () => {
    const r = await compare(shopping(), { ...withCategory, maxCategories: 20 });
    expect(r.engine).toBe('duckdb');
    expect(r.codes).toEqual(['features.skippedCustomer', 'features.skippedAmount', 'features.nonPositiveSpend']);
  });

  it('more categories than maxCategories: the rest in share_other (named share_other_categories when a category is called other)', async () => {
    for (const maxCategories of [1, 3, 7]) {
      const r = await compare(shopping(), { ...withCategory, maxCategories });
      expect(r.engine, String(maxCategories)).toBe('duckdb');
      expect(r.codes, String(maxCategories)).toContain('features.categoriesGrouped');
    }
  });

  it('the share columns are the kernel’s, by name and order', async () => {
    const t = shopping();
    const feed: AnyNodeSpec = { kind: 'feed', version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: t }) };
    const b = await runWith('duckdb', doc({ ...withCategory, maxCategories: 7 }), { feed });
    const out = b.outputs.f?.table;
    expect(b.covered.get('f')?.engine).toBe('duckdb');
    expect(out && isTable(out) ? out.columnNames().filter((n) => n.startsWith('share_')) : []).toEqual(['share_cafe', 'share_x', 'share_y', 'share_cafe_2', 'share_other', 'share_home_kitchen', 'share_blank', 'share_other_categories']);
  });

  it('a category column with no values: no share columns, as the kernel', async () => {
    const r = await compare(shopping().derive({ cat: () => null }), withCategory);
    expect(r.engine).toBe('duckdb');
  });
});

/** A features node reading categories from a products table joined by product id. */
function joined(params: Record<string, unknown>): PipelineDocument {
  return {
    format: 'insight-pipeline', version: 1, name: 'features with products', description: '', seed: 1, notes: [],
    nodes: [
      { id: 'feed', kind: 'feed', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'catalogue', kind: 'catalogue', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'f', kind: 'features', version: 1, params, position: [0, 0], note: '' },
    ],
    edges: [
      { from: ['feed', 'out'], to: ['f', 'table'] },
      { from: ['catalogue', 'out'], to: ['f', 'products'] },
    ],
  };
}

async function compareJoined(table: ColumnTable, products: ColumnTable, params: Record<string, unknown>): Promise<{ engine: string | undefined; codes: string[] }> {
  const feeds: Record<string, AnyNodeSpec> = Object.fromEntries(
    ([['feed', table], ['catalogue', products]] as const).map(([kind, t]) => [kind, { kind, version: 1, label: kind, description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: t }) } satisfies AnyNodeSpec]),
  );
  const d = joined(params);
  const a = await runWith('default', d, feeds);
  const b = await runWith('duckdb', d, feeds);
  expect(b.statuses.f?.state).toBe(a.statuses.f?.state);
  expect(b.statuses.f?.issues.map((i) => i.message)).toEqual(a.statuses.f?.issues.map((i) => i.message));
  expect(differences(a.outputs.f, b.outputs.f, TOL, 'f')).toEqual([]);
  return { engine: b.covered.get('f')?.engine, codes: (a.statuses.f?.issues ?? []).map((i) => i.code) };
}

describe('--engine duckdb: category shares joined from a products table equal the default engine', () => {
  // p2 is listed twice with two categories (the first wins), p9 is not listed, one row has no product id, one listing has no id.
  const catalogue = (): ColumnTable => aq.table({ id: ['p1', 'p2', 'p3', 'p2', null, 'p4', 'p2'], category: ['Tools', 'Garden', 'Tools', 'Toys', 'Lost', "Kid's \"toys\"; --", 'Garden'] });
  const rows = (): ColumnTable => tx().assign(aq.table({ sku: ['p1', 'p2', 'p9', 'p3', null, 'p4', 'p2', 'p1', 'p2', 'p3'] }));

  it('the first category listed per product, with the conflicts and the unknown products warned as the node warns them', async () => {
    const r = await compareJoined(rows(), catalogue(), { ...base, product: 'sku', category: 'category', productKey: 'id' });
    expect(r.engine).toBe('duckdb');
    expect(r.codes).toEqual(['features.conflictingCategories', 'features.unknownProducts', 'features.skippedCustomer', 'features.skippedTime', 'features.skippedAmount', 'features.skippedInvoice']);
  });

  it('product ids that are numbers on both sides join as numbers; one side text, the other numbers, stays in the default engine', async () => {
    const numbers = (t: ColumnTable, column: string): ColumnTable => t.derive({ [column]: aq.escape((row: Record<string, unknown>) => (typeof row[column] === 'string' ? Number(String(row[column]).slice(1)) : null)) });
    expect((await compareJoined(numbers(rows(), 'sku'), numbers(catalogue(), 'id'), { ...base, product: 'sku', category: 'category', productKey: 'id' })).engine).toBe('duckdb');
    expect((await compareJoined(rows(), numbers(catalogue(), 'id'), { ...base, product: 'sku', category: 'category', productKey: 'id' })).engine).toBe('default');
  });

  it('a category the products table lacks is read from the transactions; a products key that is missing, or no product column, stays in the default engine', async () => {
    expect((await compareJoined(rows().derive({ category: aq.escape((row: { sku: string | null }) => row.sku) }), aq.table({ id: ['p1'], kind: ['a'] }), { ...base, product: 'sku', category: 'category', productKey: 'id' })).engine).toBe('duckdb');
    expect((await compareJoined(rows(), catalogue(), { ...base, product: 'sku', category: 'category', productKey: 'nope' })).engine).toBe('default');
    expect((await compareJoined(rows(), catalogue(), { ...base, category: 'category' })).engine).toBe('default');
  });
});
