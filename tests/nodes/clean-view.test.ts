/**
 * Clean's output shares its input's unchanged columns (a filtered table over them, no copy),
 * and every node kind reads such a view exactly as it reads the same rows copied into a table
 * of their own: same state, same issues, same outputs, same column types.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { cleanTable } from '../../src/data/clean.ts';
import { columnValues, makeTable } from '../../src/data/columns.ts';
import { isTable, tableCsvPieces, tableToCsv, tableToJson } from '../../src/engine/port-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { Engine } from '../../src/engine/runner.ts';
import { decodeValue, encodeValue } from '../../src/storage/result-codec.ts';
import { baseTable, harness } from './degenerate-suite.ts';

/** The degenerate suite's transactions plus rows clean removes: a duplicate, and rows whose values would show in any result that read them. */
function dirtyTable(): ColumnTable {
  const base = baseTable();
  const extra = aq.table({
    customer_id: ['c1', 'c9', 'c2', 'c8'],
    invoice_id: ['i1', 'i90', 'i91', 'i92'],
    timestamp: ['2024-01-01 10:00:00', '2030-01-01 00:00:00', '2019-05-05 05:00:00', '2024-02-02 02:00:00'],
    product_id: ['p1', 'p9', 'p8', 'p7'],
    category: ['books', 'secret', 'hidden', 'dropped'],
    quantity: [1, 1000, -7, 500],
    unit_price: [2.5, 99, 5, 1e6],
    age: [23, 99, 0, 120],
  });
  // Interleaved, so kept and removed rows alternate in the stored columns.
  const rows = base.objects().flatMap((row, i) => (i < extra.numRows() ? [row, extra.object(i)] : [row]));
  const names = base.columnNames();
  return makeTable(names, names.map((name) => {
    const values = rows.map((r) => (r as Record<string, unknown>)[name]);
    return values.every((v) => typeof v === 'number') ? Float64Array.from(values as number[]) : values;
  }));
}

function cleaned(): { input: ColumnTable; view: ColumnTable } {
  const input = dirtyTable();
  const { table } = cleanTable(input, {
    dropDuplicates: true,
    conditions: [
      { column: 'quantity', op: '>', value: 0 },
      { column: 'quantity', op: '<', value: 100 },
    ],
  });
  return { input, view: table };
}

/** A table's contents with each column's array type. */
function contents(value: unknown, depth = 0): unknown {
  if (isTable(value)) return value.columnNames().map((name) => ({ name, type: columnValues(value, name).constructor.name, values: Array.from(columnValues(value, name)) }));
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return { type: value.constructor.name, values: Array.from(value as unknown as ArrayLike<unknown>) };
  if (Array.isArray(value)) return value.map((v) => contents(v, depth + 1));
  if (value instanceof Date || value instanceof Map || value instanceof Set) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, contents(v, depth + 1)]));
}

describe('clean output as a view of its input', () => {
  it('shares every column clean did not change and selects the kept rows without copying them', () => {
    const { input, view } = cleaned();
    expect(view.numRows()).toBe(6);
    expect(view.isFiltered()).toBe(true);
    for (const name of input.columnNames()) expect(view.column(name), name).toBe(input.column(name));
    expect(columnValues(view, 'quantity')).toEqual(Float64Array.from([1, 2, 3, 4, 1, 2]));
    expect(Array.from(columnValues(view, 'customer_id'))).toEqual(['c1', 'c2', 'c3', 'c1', 'c2', 'c4']);
  });

  it('gives changed columns in full length under the same selection, with the values and types of a copy', () => {
    const input = makeTable(['id', 'x', 'y', 'name'], [
      [1, 2, 3, 4, 5, 6, 7, 8],
      [10, null, 1e9, 12, null, 14, 15, 16],
      Float64Array.from([1, 2, 3, 4, 5, 100, 6, 7]),
      [' a', 'b', 'c ', 'd', 'e', 'f', 'g', 'h'],
    ]);
    const out = cleanTable(input, { conditions: [{ column: 'id', op: '!=', value: 3 }], missing: { x: 'mean' }, outliers: 'clip', outlierColumns: ['y'] });
    expect(out.table.column('id')).toBe(input.column('id'));
    expect(out.table.column('x')).not.toBe(input.column('x'));
    // The mean of the kept rows only (1e9 is in the removed row 3).
    expect(Array.from(columnValues(out.table, 'x'))).toEqual([10, 13.4, 12, 13.4, 14, 15, 16]);
    expect(columnValues(out.table, 'x')).toBeInstanceOf(Float64Array);
    expect(columnValues(out.table, 'y')).toBeInstanceOf(Float64Array);
    expect(Array.from(columnValues(out.table, 'name'))).toEqual(['a', 'b', 'd', 'e', 'f', 'g', 'h']);
    expect(out.report.map((r) => r.rule)).toEqual(['trim', 'condition', 'missing', 'outliers']);
    const dropped = cleanTable(input, { conditions: [{ column: 'id', op: '!=', value: 3 }], missing: { x: 'drop-row' }, outliers: 'drop', outlierColumns: ['y'] });
    expect(Array.from(columnValues(dropped.table, 'id'))).toEqual([1, 4, 7, 8]);
    expect(dropped.table.column('y')).toBe(input.column('y'));
    expect(dropped.report.map((r) => r.rows_affected)).toEqual([2, 1, 2, 1]);
  });

  it('is written, previewed and stored as its copy is', () => {
    const { view } = cleaned();
    const copy = view.reify();
    expect(copy.isFiltered()).toBe(false);
    expect(tableToCsv(view)).toBe(tableToCsv(copy));
    expect([...tableCsvPieces(view, 2)].join('')).toBe(tableToCsv(copy));
    expect(tableToJson(view, 3, 2)).toEqual(tableToJson(copy, 3, 2));
    expect(contents(decodeValue(encodeValue(view)))).toEqual(contents(copy));
  });
});

describe.each(nodeKinds.filter((spec) => !spec.readsFile).map((spec) => [spec.kind, spec] as const))('node kind %s on a clean view', (_kind, spec) => {
  it('gives the same status and outputs as on the same rows copied', async () => {
    const { view } = cleaned();
    const copy = view.reify();
    const run = async (table: ColumnTable) => {
      const { registry, doc } = harness(spec, table, false);
      const engine = new Engine({ registry, host: createNodeHost({ backend: () => 'cpu' }) });
      const status = (await engine.run(doc)).statuses.subject;
      return { state: status?.state, issues: status?.issues.map((i) => i.message), outputs: contents(engine.outputs(doc, 'subject')) };
    };
    expect(await run(view)).toEqual(await run(copy));
  });
});

describe('the features node reading a view', () => {
  it('does not see removed rows: no non-numeric error from them, no unknown product counted for them', async () => {
    const input = makeTable(['customer', 'invoice', 'time', 'quantity', 'price', 'product'], [
      ['a', 'b', 'x', 'a'],
      ['i1', 'i2', 'i3', 'i4'],
      ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'],
      [1, 2, 'lots', 3],
      Float64Array.from([1, 2, 3, 4]),
      ['p1', 'p2', 'p-unknown', 'p1'],
    ]);
    const { table: view } = cleanTable(input, { trim: false, parseNumbersAuto: false, conditions: [{ column: 'customer', op: '!=', value: 'x' }] });
    expect(view.isFiltered()).toBe(true);
    expect(view.column('quantity')).toBe(input.column('quantity'));
    const products = aq.table({ product: ['p1', 'p2'], category: ['books', 'toys'] });
    const feature = nodeKinds.find((spec) => spec.kind === 'features')!;
    const run = async (table: ColumnTable) => {
      const registry = {
        features: feature,
        feedt: { kind: 'feedt', version: 1, label: 't', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: table }) },
        feedp: { kind: 'feedp', version: 1, label: 'p', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: products }) },
      } as never;
      const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, version: 1, params, position: [0, 0] as [number, number], note: '' });
      const doc: PipelineDocument = {
        format: 'insight-pipeline', version: 1, name: 'v', description: '', seed: 1, notes: [],
        nodes: [node('t', 'feedt'), node('p', 'feedp'), node('subject', 'features', { customer: 'customer', invoice: 'invoice', time: 'time', quantity: 'quantity', price: 'price', product: 'product', category: 'category' })],
        edges: [{ from: ['t', 'out'] as [string, string], to: ['subject', 'table'] as [string, string] }, { from: ['p', 'out'] as [string, string], to: ['subject', 'products'] as [string, string] }],
      };
      const engine = new Engine({ registry, host: createNodeHost({ backend: () => 'cpu' }) });
      const status = (await engine.run(doc)).statuses.subject;
      return { state: status?.state, issues: status?.issues.map((i) => i.message), outputs: contents(engine.outputs(doc, 'subject')) };
    };
    const onView = await run(view);
    expect(onView.state).toBe('done');
    expect(onView).toEqual(await run(view.reify()));
  });
});
