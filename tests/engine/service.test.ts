import { describe, expect, it } from 'vitest';
import { EngineService } from '../../src/engine/service.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { doc, e, n } from './helpers.ts';
import { testRegistry } from './test-nodes.ts';
import { defineNode } from '../../src/engine/node.ts';
import type { ModelValue } from '../../src/engine/ports.ts';

/** A test-only kind that makes a `toy` model and writes it as a text file and a byte file. */
const toy = defineNode({
  kind: 'toy',
  version: 1,
  label: 'Toy model',
  description: 'Makes a model of two weights.',
  category: 'model',
  inputs: {},
  outputs: { model: 'model' },
  params: {},
  messages: {},
  modelFiles: {
    toy: async (model: ModelValue) => [
      { filename: 'toy.json', mime: 'application/json', data: JSON.stringify(model.metadata) },
      { filename: 'toy.bin', mime: 'application/octet-stream', data: Uint8Array.from([1, 2]) },
    ],
  },
  async run() {
    return { model: { kind: 'toy', metadata: { weights: 2 }, artifacts: [1, 2] } };
  },
});

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

  it('exports a model port through the writer its node kind declares, and any other port as its one file', async () => {
    const s = new EngineService({ registry: { ...testRegistry, toy }, host: createNodeHost() });
    await s.run(doc([n('m', 'toy'), n('s', 'source', { rows: 1 })]));
    expect(await s.exportFiles('m', 'model')).toEqual([
      { filename: 'toy.json', mime: 'application/json', data: '{"weights":2}' },
      { filename: 'toy.bin', mime: 'application/octet-stream', data: Uint8Array.from([1, 2]) },
    ]);
    expect(await s.exportFiles('s', 'table')).toEqual([{ filename: 's.table.csv', mime: 'text/csv', data: 'x\n1\n' }]);
  });

  it('exports a model without a writer as JSON, like any other value', async () => {
    const s = new EngineService({ registry: { ...testRegistry, toy: { ...toy, modelFiles: {} } }, host: createNodeHost() });
    await s.run(doc([n('m', 'toy')]));
    const [file] = await s.exportFiles('m', 'model');
    expect(file?.filename).toBe('m.model.json');
    expect(JSON.parse(typeof file?.data === 'string' ? file.data : '')).toMatchObject({ kind: 'toy', metadata: { weights: 2 } });
  });
});
