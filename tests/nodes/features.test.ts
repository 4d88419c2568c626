import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { table as aqTable, type ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { cleanTable } from '../../src/data/clean.ts';
import { readTable } from '../../src/data/read.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { runNode, tableFeed } from '../data/node-harness.ts';

function tableOut(outputs: Record<string, unknown> | undefined): ColumnTable {
  const value = outputs?.table;
  if (!isTable(value)) throw new Error('no table');
  return value;
}

const params = { customer: 'CustomerID', invoice: 'InvoiceNo', time: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', product: 'StockCode' };

async function retail(): Promise<ColumnTable> {
  const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', 'online-retail-subset.csv')));
  const { table } = await readTable({ name: 'retail.csv', bytes });
  return cleanTable(table, {
    conditions: [
      { column: 'InvoiceNo', op: 'not-starts-with', value: 'C' },
      { column: 'Quantity', op: '>', value: 0 },
      { column: 'UnitPrice', op: '>', value: 0 },
      { column: 'CustomerID', op: 'not-missing', value: null },
    ],
  }).table;
}

describe('features node', () => {
  it('makes one row per customer, keeping the customer column’s name, with the RFM columns', async () => {
    const run = await runNode('features', params, { table: tableFeed(await retail()) });
    expect(run.status.state).toBe('done');
    const out = tableOut(run.outputs);
    expect(out.columnNames()).toEqual(['CustomerID', 'recency_days', 'frequency', 'monetary', 'tenure_days', 'avg_basket_value', 'distinct_products']);
    expect(out.numRows()).toBe(35);
    expect(run.status.summary).toBe('35 customers × 6 features');
    const ids = out.array('CustomerID');
    expect([...ids]).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
  });

  it('joins categories from a products table by product id and adds spend shares', async () => {
    const sales = aqTable({ c: [1, 1, 2], inv: ['a', 'b', 'c'], t: ['2011-01-01', '2011-01-02', '2011-01-03'], q: [1, 1, 2], p: [10, 30, 5], sku: [101, '102', 103] });
    const products = aqTable({ sku: ['101', '102', '102'], kind: ['Toys', 'Home & Garden', 'Books'] });
    const run = await runNode('features', { customer: 'c', invoice: 'inv', time: 't', quantity: 'q', price: 'p', product: 'sku', category: 'kind' }, { table: tableFeed(sales), products: tableFeed(products) });
    expect(run.codes).toEqual(['features.conflictingCategories', 'features.unknownProducts']);
    expect(tableOut(run.outputs).objects()).toEqual([
      { c: 1, recency_days: 2, frequency: 2, monetary: 40, tenure_days: 3, avg_basket_value: 20, distinct_products: 2, share_home_garden: 0.75, share_toys: 0.25 },
      { c: 2, recency_days: 1, frequency: 1, monetary: 10, tenure_days: 1, avg_basket_value: 10, distinct_products: 1, share_home_garden: 0, share_toys: 0 },
    ]);
  });

  it('asks for the columns it needs, by parameter name', async () => {
    const t = aqTable({ id: [1], inv: ['a'], t: ['2011-01-01'], q: [1], p: [1] });
    const empty = await runNode('features', { invoice: 'inv', time: 't', quantity: 'q', price: 'p' }, { table: tableFeed(t) });
    expect(empty.status.issues[0]?.message).toBe('Parameter "customer" is empty; choose the "customer id" column.');
    const same = await runNode('features', { customer: 'id', invoice: 'id', time: 't', quantity: 'q', price: 'p' }, { table: tableFeed(t) });
    expect(same.codes).toEqual(['features.sameColumn']);
    const missing = await runNode('features', { customer: 'id', invoice: 'inv', time: 'when', quantity: 'q', price: 'p' }, { table: tableFeed(t) });
    expect(missing.status.issues[0]?.message).toBe('Column "when" named in parameter "time" is not in the input table (it has "id", "inv", "t", "q", "p").');
  });
});
