/** Small node kinds used only by the engine tests. */
import * as aq from 'arquero';
import { defineNode, error, optional, warning } from '../../src/engine/node.ts';
import { boolean, integer, number, text } from '../../src/engine/params.ts';
import type { NodeRegistry } from '../../src/engine/validate.ts';

/** Emits a table with one column `x` of `rows` values starting at `start`. */
export const source = defineNode({
  kind: 'source',
  version: 1,
  label: 'Source',
  description: 'Makes a small table.',
  category: 'data',
  inputs: {},
  outputs: { table: 'table' },
  params: { rows: integer(3, { min: 0, max: 1000 }), start: number(1) },
  messages: {},
  async run(_inputs, params) {
    return { table: aq.table({ x: Array.from({ length: params.rows }, (_, i) => params.start + i) }) };
  },
  summary: (out) => `${out.table.numRows()} rows`,
});

/** Adds a constant to column `x`. */
export const add = defineNode({
  kind: 'add',
  version: 2,
  label: 'Add',
  description: 'Adds a constant.',
  category: 'features',
  inputs: { table: 'table' },
  outputs: { table: 'table' },
  params: { amount: number(1), note: text('') },
  messages: { big: warning('Amount {amount} is large.') },
  // Version 1 called the param "delta".
  migrate: { 1: ({ delta, ...rest }) => ({ ...rest, amount: delta }) },
  async run({ table }, params, ctx) {
    if (params.amount > 100) ctx.warn('big', { amount: params.amount });
    const xs = table.array('x');
    return { table: aq.table({ x: Array.from(xs, (v) => Number(v) + params.amount) }) };
  },
});

/** Joins two tables' x columns by summing them; the second input is optional. */
export const combine = defineNode({
  kind: 'combine',
  version: 1,
  label: 'Combine',
  description: 'Sums two tables.',
  category: 'features',
  inputs: { left: 'table', right: optional('table') },
  outputs: { table: 'table' },
  params: {},
  messages: {},
  async run({ left, right }) {
    const a = left.array('x');
    const b = right ? right.array('x') : [];
    return { table: aq.table({ x: Array.from(a, (v, i) => Number(v) + Number(b[i] ?? 0)) }) };
  },
});

/** Fails with a declared message when `fail` is true. */
export const failing = defineNode({
  kind: 'failing',
  version: 1,
  label: 'Failing',
  description: 'Fails on request.',
  category: 'features',
  inputs: { table: 'table' },
  outputs: { table: 'table' },
  params: { fail: boolean(true), crash: boolean(false) },
  messages: { asked: error('Asked to fail with {rows} rows.') },
  async run({ table }, params, ctx) {
    if (params.crash) throw new TypeError('boom');
    if (params.fail) ctx.fail('asked', { rows: table.numRows() }, 'fail');
    return { table };
  },
});

/** Waits in small steps, checking for cancellation, reporting progress. */
export const slow = defineNode({
  kind: 'slow',
  version: 1,
  label: 'Slow',
  description: 'Takes its time.',
  category: 'model',
  inputs: { table: 'table' },
  outputs: { table: 'table', metrics: 'metrics' },
  params: { steps: integer(5, { min: 1 }) },
  messages: {},
  async run({ table }, params, ctx) {
    for (let i = 0; i < params.steps; i++) {
      ctx.checkCancelled();
      await new Promise((done) => setTimeout(done, 5));
      ctx.progress((i + 1) / params.steps, `step ${i + 1}`);
      ctx.emit({ type: 'tick', data: { step: i + 1 } });
    }
    return { table, metrics: { summary: { rows: table.numRows() }, tables: {}, detail: { random: ctx.random.next() } } };
  },
});

/** Needs a metrics input (for port-typing tests). */
export const report = defineNode({
  kind: 'report',
  version: 1,
  label: 'Report',
  description: 'Reads metrics.',
  category: 'evaluate',
  inputs: { metrics: 'metrics' },
  outputs: { table: 'table' },
  params: {},
  messages: {},
  async run({ metrics }) {
    return { table: aq.table({ rows: [metrics.summary.rows ?? null] }) };
  },
});

/** The registry of test kinds. */
export const testRegistry: NodeRegistry = Object.fromEntries([source, add, combine, failing, slow, report].map((s) => [s.kind, s]));
