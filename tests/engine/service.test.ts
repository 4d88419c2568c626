import { describe, expect, it } from 'vitest';
import { EngineService } from '../../src/engine/service.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { doc, e, n } from './helpers.ts';
import { testRegistry } from './test-nodes.ts';

const service = () => new EngineService({ registry: testRegistry, host: createNodeHost() });
const d = doc([n('s', 'source', { rows: 4 }), n('a', 'add', { amount: 10 })], [e('s.table', 'a.table')]);

describe('the engine service the worker exposes', () => {
  it('describes node kinds without functions, so they cross the worker boundary', () => {
    const catalog = service().catalog();
    expect(catalog.find((k) => k.kind === 'add')).toEqual({
      kind: 'add',
      version: 2,
      label: 'Add',
      description: 'Adds a constant.',
      category: 'features',
      inputs: [{ name: 'table', type: 'table', optional: false }],
      outputs: [{ name: 'table', type: 'table' }],
      params: [
        { name: 'amount', kind: 'number', default: 1, meta: {} },
        { name: 'note', kind: 'text', default: '', meta: {} },
      ],
      readsFile: false,
    });
    expect(structuredClone(catalog)).toEqual(catalog);
  });

  it('validates untrusted input and returns problems rather than throwing', () => {
    expect(service().validate('nonsense')).toMatchObject({ ok: false, problems: [{ code: 'document.notObject' }] });
    expect(service().validate(d)).toEqual({ ok: true, document: d });
  });

  it('runs, then previews a window of rows and exports CSV', async () => {
    const s = service();
    const report = await s.run(d);
    expect(report.ok).toBe(true);
    expect(s.preview('a', 'table', 1, 2)).toEqual({ kind: 'table', columns: ['x'], types: ['number'], rows: [[12], [13]], totalRows: 4, offset: 1 });
    expect(s.exportPort('a', 'table')).toEqual({ filename: 'a.table.csv', mime: 'text/csv', text: 'x\n11\n12\n13\n14\n' });
  });

  it('queries a table port: sorted and filtered windows, counts of matches, sampled chart columns', async () => {
    const s = service();
    await s.run(d);
    expect(s.queryPreview('a', 'table', { sort: { column: 'x', descending: true } }, 1, 2)).toEqual({ columns: ['x'], rows: [[13], [12]], totalRows: 4, tableRows: 4, offset: 1 });
    expect(s.queryPreview('a', 'table', { filters: [{ column: 'x', op: 'range', min: 12, max: 13 }] })).toEqual({ columns: ['x'], rows: [[12], [13]], totalRows: 2, tableRows: 4, offset: 0 });
    expect(s.columnValues('a', 'table', ['x'], {}, 2)).toEqual({ columns: ['x'], rows: [[11], [13]], totalRows: 4, tableRows: 4, offset: 0 });
    expect(() => s.queryPreview('a', 'table', { sort: { column: 'nope', descending: false } })).toThrow('Sort column "nope" is not in the table (columns: x).');
    expect(() => s.columnValues('a', 'table', ['y'])).toThrow('Column "y" is not in a.table (columns: x).');
  });

  it('says clearly when a port has no value yet', () => {
    expect(() => service().preview('a', 'table')).toThrow('Node "a" has no result on "table" yet; run it first.');
  });

  it('cancels the run in progress', async () => {
    const s = service();
    const slowDoc = doc([n('s', 'source'), n('w', 'slow', { steps: 200 })], [e('s.table', 'w.table')]);
    const running = s.run(slowDoc, {}, (ev) => {
      if (ev.type === 'progress' && ev.fraction > 0.05) s.cancel();
    });
    const report = await running;
    expect(report.cancelled).toBe(true);
    expect(report.statuses.w?.state).toBe('cancelled');
  });
});
