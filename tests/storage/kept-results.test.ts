import 'fake-indexeddb/auto';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { defineNode } from '../../src/engine/node.ts';
import { integer, number } from '../../src/engine/params.ts';
import { EngineService } from '../../src/engine/service.ts';
import type { NodeRegistry } from '../../src/engine/validate.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { ProjectStore } from '../../src/storage/project-store.ts';
import { decodeOutputs, decodeResults, encodeOutputs, encodeResults } from '../../src/storage/result-codec.ts';

let fits = 0;

const source = defineNode({
  kind: 'source',
  version: 1,
  label: 'Source',
  description: 'Makes a small table.',
  category: 'data',
  inputs: {},
  outputs: { table: 'table' },
  params: { rows: integer(4, { min: 0, max: 100 }) },
  messages: {},
  async run(_inputs, params) {
    return { table: aq.table({ id: Array.from({ length: params.rows }, (_, i) => `c${i}`), x: Float64Array.from({ length: params.rows }, (_, i) => i * 1.5) }) };
  },
});

/** Stands in for the LSTM: "trains" (counted) and outputs a model and predictions. */
const fit = defineNode({
  kind: 'fit',
  version: 1,
  label: 'Fit',
  description: 'Fits a model.',
  category: 'model',
  inputs: { table: 'table' },
  outputs: { model: 'model', predictions: 'predictions' },
  params: { rate: number(0.1) },
  messages: {},
  async run({ table }, params) {
    fits++;
    const xs = table.array('x', Float64Array);
    const weights = Float32Array.from(xs, (v) => v * params.rate);
    return {
      model: { kind: 'fit', metadata: { rate: params.rate, epochs: [1, 2] }, artifacts: { weights, layers: [{ units: 3 }] } },
      predictions: aq.table({ id: table.array('id'), score: Array.from(weights, (w) => w / 2), label: Array.from(weights, () => 1), fold: Array.from(weights, () => 0) }),
    };
  },
});

const registry: NodeRegistry = { source, fit };

function pipeline(rate: number): PipelineDocument {
  return {
    format: 'insight-pipeline',
    version: 1,
    name: 'kept',
    description: '',
    seed: 5,
    nodes: [
      { id: 's', kind: 'source', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'f', kind: 'fit', version: 1, params: { rate }, position: [1, 0], note: '' },
    ],
    edges: [{ from: ['s', 'table'], to: ['f', 'table'] }],
    notes: [],
  };
}

const service = (): EngineService => new EngineService({ registry, host: createNodeHost() });

describe('results kept across reloads', () => {
  it('keeps the model node (not the fast source), stores it in IndexedDB, and a fresh engine runs without refitting', async () => {
    fits = 0;
    const first = service();
    const doc = pipeline(0.5);
    expect((await first.run(doc)).executed).toEqual(['s', 'f']);
    const kept = encodeResults(first.keepableResults(doc));
    expect(kept.map((r) => r.nodeId)).toEqual(['f']);

    const store = await ProjectStore.open({ name: crypto.randomUUID() });
    const project = await store.create(doc);
    await store.putResults(project.id, kept);
    store.close();
    const reopened = await ProjectStore.open({ name: store.db.name });
    const stored = await reopened.results(project.id);
    reopened.close();

    const second = service();
    expect(second.restoreResults(doc, decodeResults(stored))).toEqual(['f']);
    expect(second.statuses(doc).f?.state).toBe('done');
    const report = await second.run(doc);
    expect(report.executed).toEqual(['s']);
    expect(report.statuses.f?.cached).toBe(true);
    expect(fits).toBe(1);
    expect(second.preview('f', 'predictions')).toEqual(first.preview('f', 'predictions'));
    expect(second.rawValue('f', 'model')).toEqual(first.rawValue('f', 'model'));
  });

  it('does not take a stored result whose hash no longer matches (a param changed)', async () => {
    fits = 0;
    const first = service();
    await first.run(pipeline(0.5));
    const kept = encodeResults(first.keepableResults(pipeline(0.5)));
    const second = service();
    expect(second.restoreResults(pipeline(0.25), decodeResults(kept))).toEqual([]);
    expect((await second.run(pipeline(0.25))).executed).toEqual(['s', 'f']);
    expect(fits).toBe(2);
  });
});

describe('the result codec', () => {
  it('round-trips filtered and ordered tables, typed arrays and nested objects through structured clone', () => {
    const t = aq.table({ k: ['a', 'b', 'c', 'd'], v: Float64Array.from([4, 3, 2, 1]) }).filter((d: { v: number }) => d.v > 1).orderby('v');
    const outputs = { metrics: { summary: { auc: 0.75 }, tables: { roc: t }, detail: { when: new Date(0) } }, w: Float32Array.from([1, 2]) };
    const back = decodeOutputs(structuredClone(encodeOutputs(outputs)));
    const metrics = back.metrics;
    if (typeof metrics !== 'object' || metrics === null || !('tables' in metrics)) throw new Error('no metrics');
    const tables = metrics.tables;
    if (typeof tables !== 'object' || tables === null || !('roc' in tables) || !(tables.roc instanceof aq.ColumnTable)) throw new Error('no table');
    expect(tables.roc.objects()).toEqual([{ k: 'c', v: 2 }, { k: 'b', v: 3 }, { k: 'a', v: 4 }]);
    expect(tables.roc.column('v')).toBeInstanceOf(Float64Array);
    expect(back.w).toEqual(Float32Array.from([1, 2]));
    expect(metrics).toMatchObject({ summary: { auc: 0.75 }, detail: { when: new Date(0) } });
  });

  it('leaves out a result that holds a function instead of failing the save', () => {
    const status = { state: 'done' as const, progress: 1, detail: '', issues: [], summary: '', durationMs: 5000, cached: false };
    expect(encodeResults([{ nodeId: 'x', hash: 'h', status, outputs: { model: { predict: () => 1 } } }])).toEqual([]);
  });
});
