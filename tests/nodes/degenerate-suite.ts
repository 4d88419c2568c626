/**
 * The shared degenerate-input suite (STYLE.md point 8), as a function any test file can call
 * for a list of kinds: tests/nodes/degenerate.test.ts runs it for every registered kind, and a
 * kind added from one file is run through it the same way.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { inputOptional, inputType, type AnyNodeSpec, type SourceFile } from '../../src/engine/node.ts';
import { defaultParams } from '../../src/engine/params.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import type { PortType } from '../../src/engine/ports.ts';
import { Engine } from '../../src/engine/runner.ts';

/** A small transactions-like table with the sample data's column names. */
export function baseTable(): ColumnTable {
  return aq.table({
    customer_id: ['c1', 'c2', 'c3', 'c1', 'c2', 'c4'],
    invoice_id: ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'],
    timestamp: ['2024-01-01 10:00:00', '2024-01-09 11:00:00', '2024-02-01 09:30:00', '2024-02-15 12:00:00', '2024-03-01 08:00:00', '2024-03-20 18:00:00'],
    product_id: ['p1', 'p2', 'p1', 'p3', 'p2', 'p1'],
    category: ['books', 'toys', 'books', 'garden', 'toys', 'books'],
    quantity: [1, 2, 3, 4, 1, 2],
    unit_price: [2.5, 3, 1, 10, 4, 2],
    age: [23, 35, 47, 23, 35, 61],
  });
}

const numericColumns = ['quantity', 'unit_price', 'age'];

interface Case {
  name: string;
  table: () => ColumnTable;
  /** Point column params at a column that does not exist. */
  missingColumn?: boolean;
}

const withColumns = (values: Record<string, unknown[]>) => baseTable().assign(aq.table(values));

/** The eight degenerate inputs every kind is run against. */
export const cases: Case[] = [
  { name: 'an empty table', table: () => baseTable().slice(0, 0) },
  { name: 'zero columns', table: () => aq.table({}) },
  { name: 'one row', table: () => baseTable().slice(0, 1) },
  { name: 'an all-null column', table: () => withColumns({ quantity: [null, null, null, null, null, null] }) },
  { name: 'NaN and Infinity', table: () => withColumns({ quantity: [NaN, Infinity, -Infinity, 1, 2, NaN], unit_price: [1, NaN, 2, Infinity, 3, 4] }) },
  { name: 'a constant column', table: () => withColumns({ quantity: [5, 5, 5, 5, 5, 5], unit_price: [2, 2, 2, 2, 2, 2], age: [30, 30, 30, 30, 30, 30] }) },
  { name: 'a wrong type', table: () => withColumns({ quantity: ['a', 'b', 'c', 'd', 'e', 'f'], unit_price: ['x', 'y', 'z', 'x', 'y', 'z'] }) },
  { name: 'a missing column named in params', table: baseTable, missingColumn: true },
];

/** Chooses a plausible column for a column param from its name. */
function pickColumn(name: string, numeric: boolean): string {
  const n = name.toLowerCase();
  if (/customer|^id$|entity|user/.test(n)) return 'customer_id';
  if (/time|date/.test(n)) return 'timestamp';
  if (/invoice|basket|order/.test(n)) return 'invoice_id';
  if (/product|item/.test(n)) return 'product_id';
  if (/categor/.test(n)) return 'category';
  if (/quantit|count/.test(n)) return 'quantity';
  if (/price|amount|value|monetary/.test(n)) return 'unit_price';
  if (/age/.test(n)) return 'age';
  return numeric ? 'quantity' : 'customer_id';
}

/** Whether a param is in effect: its showIf holds and its source input is connected. */
function isActive(spec: AnyNodeSpec, name: string, params: Record<string, unknown>): boolean {
  const meta = spec.params[name]?.meta;
  if (!meta) return false;
  for (const [other, allowed] of Object.entries(meta.showIf ?? {})) {
    const value = params[other];
    if (!(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') || !allowed.includes(value)) return false;
  }
  const from = meta.from;
  if (from !== undefined) {
    const input = spec.inputs[from];
    if (input === undefined || inputOptional(input)) return false;
  }
  return true;
}

/**
 * Default params with column params pointed at the test table's columns; with `missing`,
 * the first column param in effect names a column that does not exist.
 */
function paramsFor(spec: AnyNodeSpec, missing: boolean, rename: (column: string) => string = (c) => c): { params: Record<string, unknown>; spoiled: boolean } {
  const params: Record<string, unknown> = defaultParams(spec.params);
  const present = new Set(baseTable().columnNames());
  for (const [name, p] of Object.entries(spec.params)) {
    const numeric = p.meta.numeric === true;
    if (p.kind === 'column') {
      const current = params[name];
      params[name] = typeof current === 'string' && present.has(current) ? current : p.meta.optional && current === '' ? '' : pickColumn(name, numeric);
    } else if (p.kind === 'columns') {
      const current = params[name];
      params[name] = Array.isArray(current) && current.length > 0 ? current : numeric ? numericColumns : [];
    } else if (p.kind === 'weights') {
      const current = params[name];
      params[name] = current && typeof current === 'object' && Object.keys(current).length > 0 ? current : { quantity: 1, unit_price: 0.5 };
    } else if (p.kind === 'columnChoices') {
      // One choice for a numeric column, so per-column records are exercised too.
      const option = p.meta.options?.find((o) => o !== 'auto' && o !== 'keep') ?? p.meta.options?.[0];
      if (option !== undefined) params[name] = { quantity: name === 'types' ? 'number' : option };
    }
  }
  renameColumnParams(spec, params, rename);
  if (!missing) return { params, spoiled: false };
  for (const [name, p] of Object.entries(spec.params)) {
    if (!isActive(spec, name, params)) continue;
    const value = params[name];
    if (p.kind === 'column' && value !== '') {
      params[name] = 'no_such_column';
      return { params, spoiled: true };
    }
    if (p.kind === 'columns' && Array.isArray(value) && value.length > 0) {
      params[name] = ['no_such_column'];
      return { params, spoiled: true };
    }
  }
  return { params, spoiled: false };
}

/** Points every column-naming param (column, columns, weights, columnChoices keys) through `rename`. */
function renameColumnParams(spec: AnyNodeSpec, params: Record<string, unknown>, rename: (column: string) => string): void {
  for (const [name, p] of Object.entries(spec.params)) {
    const value = params[name];
    if (p.kind === 'column' && typeof value === 'string' && value !== '') params[name] = rename(value);
    else if (p.kind === 'columns' && Array.isArray(value)) params[name] = value.map((v) => (typeof v === 'string' ? rename(v) : v));
    else if ((p.kind === 'weights' || p.kind === 'columnChoices') && value !== null && typeof value === 'object') {
      // fromEntries defines own properties, so a key "__proto__" stays a key.
      params[name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), v]));
    }
  }
}

/** A value of each non-table port type, degenerate in the same way as the table. */
function valueFor(type: PortType, table: ColumnTable): unknown {
  const rows = table.numRows();
  const ids = table.columnNames().includes('customer_id') ? Array.from(table.array('customer_id'), String) : Array.from({ length: rows }, (_, i) => `c${i}`);
  const qty = table.columnNames().includes('quantity') ? Array.from(table.array('quantity'), (v) => (typeof v === 'number' ? v : Number.NaN)) : ids.map(() => 0);
  switch (type) {
    case 'table':
      return table;
    case 'predictions':
      return aq.table({ id: ids, score: qty.map((q) => (Number.isFinite(q) ? Math.min(1, Math.abs(q) / 5) : q)), label: ids.map((_, i) => i % 2), fold: ids.map((_, i) => i % 2) });
    case 'recommendations':
      return aq.table({ id: ids, rank: ids.map(() => 1), item: ids.map(() => 'p1'), score: qty, reason: ids.map(() => 'popular') });
    case 'sequences': {
      const steps = 3;
      const features = 2;
      const x = new Float32Array(rows * steps * features);
      for (let i = 0; i < x.length; i++) x[i] = qty[Math.floor(i / (steps * features))] ?? 0;
      return { x, n: rows, steps, features, labels: Float32Array.from(ids, (_, i) => i % 2), ids, featureNames: ['a', 'b'], stepLabels: ['t1', 't2', 't3'], meta: {} };
    }
    case 'metrics':
      return { summary: {}, tables: {}, detail: {} };
    case 'segments':
      return {
        assignments: aq.table({ customer_id: ids, segment: ids.map((_, i) => i % 2), segment_name: ids.map((_, i) => `S${i % 2}`) }),
        profiles: aq.table({ segment: [0, 1], size: [1, 1], name: ['S0', 'S1'] }),
        curves: aq.table({ k: [] }),
        detail: {},
      };
    case 'transform':
      return { kind: 'unknown', label: 'a transform from elsewhere', params: {} };
    case 'model':
      return { kind: 'unknown', metadata: {}, artifacts: null };
    case 'explanations':
      return {
        customers: aq.table({ id: ids, score: qty, reason_1: ids.map(() => 'r') }),
        reasons: aq.table({ id: ids, rank: ids.map(() => 1), feature: ids.map(() => 'a'), window: ids.map(() => 'recent'), attribution: qty, reason: ids.map(() => 'r'), reason_zh: ids.map(() => 'r') }),
        importance: aq.table({ kind: ['feature'], name: ['a'], drop: [0], sd: [0] }),
        cells: { steps: 0, features: 0, featureNames: [], stepLabels: [], values: new Float32Array(0) },
        detail: {},
      };
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** Registry containing the node under test plus a "feeder" kind per input port. */
export function harness(spec: AnyNodeSpec, table: ColumnTable, missing: boolean, rename?: (column: string) => string): { registry: Record<string, AnyNodeSpec>; doc: PipelineDocument; spoiled: boolean } {
  const registry: Record<string, AnyNodeSpec> = { [spec.kind]: spec };
  const nodes: PipelineDocument['nodes'] = [];
  const edges: PipelineDocument['edges'] = [];
  for (const [port, inSpec] of Object.entries(spec.inputs)) {
    if (inputOptional(inSpec)) continue;
    const type = inputType(inSpec);
    const kind = `feed-${port.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    registry[kind] = {
      kind,
      version: 1,
      label: `Feed ${port}`,
      description: '',
      category: 'data',
      inputs: {},
      outputs: { out: type },
      params: {},
      messages: {},
      run: async () => ({ out: valueFor(type, table) }),
    };
    nodes.push({ id: `feed_${port}`, kind, version: 1, params: {}, position: [0, 0], note: '' });
    edges.push({ from: [`feed_${port}`, 'out'], to: ['subject', port] });
  }
  const { params, spoiled } = paramsFor(spec, missing, rename);
  nodes.push({ id: 'subject', kind: spec.kind, version: spec.version, params, position: [0, 0], note: '' });
  return { spoiled, registry, doc: { format: 'insight-pipeline', version: 1, name: 'degenerate', description: '', seed: 1, nodes, edges, notes: [] } };
}

/** Non-finite numbers anywhere in an output's tables or typed arrays. */
function nonFinite(value: unknown, depth = 0): boolean {
  if (depth > 6 || value === null || value === undefined) return false;
  if (typeof value === 'number') return !Number.isFinite(value);
  if (isTable(value)) return value.columnNames().some((c) => Array.from(value.array(c)).some((v) => typeof v === 'number' && !Number.isFinite(v)));
  if (value instanceof Float32Array || value instanceof Float64Array) return value.some((v) => !Number.isFinite(v));
  if (Array.isArray(value)) return value.some((v) => nonFinite(v, depth + 1));
  if (typeof value === 'object') return Object.values(value).some((v) => nonFinite(v, depth + 1));
  return false;
}

/** Declares the degenerate-input tests for each of `kinds` (one describe block per kind, eight cases each). */
export function degenerateSuite(kinds: readonly AnyNodeSpec[]): void {
  describe.each(kinds.map((spec) => [spec.kind, spec] as const))('node kind %s with degenerate input', (_kind, spec) => {
    for (const c of cases) {
      it(`gives a result or a declared message for ${c.name}`, async () => {
        const table = c.table();
        const { registry, doc, spoiled } = harness(spec, table, c.missingColumn === true);
        const buffers: Record<string, SourceFile> = {};
        if (spec.readsFile) buffers.subject = { name: 'degenerate.csv', bytes: new TextEncoder().encode(table.numCols() === 0 ? '' : table.toCSV()) };
        const engine = new Engine({ registry, host: createNodeHost({ buffers, backend: () => 'cpu' }) });
        const report = await engine.run(doc);
        const status = report.statuses.subject;
        expect(status, 'the node has a status').toBeDefined();
        if (!status) return;
        const unexpected = status.issues.filter((i) => i.code === 'node.exception');
        expect(unexpected, `no uncaught exception: ${unexpected.map((i) => i.message).join('; ')}`).toEqual([]);
        expect(['done', 'warning', 'error']).toContain(status.state);
        for (const problem of status.issues) expect(problem.message.length).toBeGreaterThan(10);
        if (status.state === 'done') {
          const outputs = engine.outputs(doc, 'subject');
          expect(nonFinite(outputs), 'a clean "done" never carries NaN or Infinity silently').toBe(false);
        }
        // Only kinds with a column param can be pointed at a missing column; those must name it.
        if (spoiled) {
          expect(status.state).toBe('error');
          expect(status.issues[0]?.message).toContain('no_such_column');
        }
      });
    }
  });
}
