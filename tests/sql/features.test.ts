import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
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
const tx = () =>
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

  it('time as text, category shares and a non-numeric quantity stay in the default engine', async () => {
    const t = tx().derive({ time: aq.escape((row: { time: Date | null }) => (row.time === null ? null : row.time.toISOString())) });
    expect((await compare(t, base)).engine).toBe('default');
    expect((await compare(tx(), { ...base, category: 'sku' })).engine).toBe('default');
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
