import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;

function feedKind(table: ColumnTable): AnyNodeSpec {
  return { kind: 'feed', version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: table }) };
}

/** feed → normalise → weight (the chain the SQL engine keeps in DuckDB). */
function chain(normalise: Record<string, unknown>, weight: Record<string, unknown>): PipelineDocument {
  return {
    format: 'insight-pipeline', version: 1, name: 'sql chain', description: '', seed: 1, notes: [],
    nodes: [
      { id: 'feed', kind: 'feed', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'norm', kind: 'normalise', version: 1, params: normalise, position: [0, 0], note: '' },
      { id: 'score', kind: 'weight', version: 1, params: weight, position: [0, 0], note: '' },
    ],
    edges: [
      { from: ['feed', 'out'], to: ['norm', 'table'] },
      { from: ['norm', 'table'], to: ['score', 'table'] },
    ],
  };
}

async function compare(table: ColumnTable, normalise: Record<string, unknown>, weight: Record<string, unknown>): Promise<{ covered: Record<string, string>; issues: string[] }> {
  const doc = chain(normalise, weight);
  const a = await runWith('default', doc, { feed: feedKind(table) });
  const b = await runWith('duckdb', doc, { feed: feedKind(table) });
  for (const id of ['norm', 'score']) {
    expect(b.statuses[id]?.state, id).toBe(a.statuses[id]?.state);
    expect(b.statuses[id]?.issues.map((i) => i.message), id).toEqual(a.statuses[id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[id], b.outputs[id], TOL, id)).toEqual([]);
  }
  const covered = Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine]));
  return { covered, issues: (a.statuses.score?.issues ?? []).map((i) => i.code) };
}

const customers = () =>
  aq.table({
    customer_id: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
    recency_days: [3, 40, 12, 200, 7, 40],
    frequency: [10, 1, 4, 1, 7, 2],
    monetary: [900.5, 20, 310.25, 15, 640, 80.75],
    note: ['a', null, 'b', 'c', null, 'd'],
  });

const rfm = { recency_days: -0.25, frequency: 0.35, monetary: 0.4 };

describe('--engine duckdb: normalise and typed weight equal the default engine to 1e-9', () => {
  for (const method of ['min-max', 'z-score', 'robust']) {
    it(`${method} then typed weights, run in DuckDB, same tables, transforms and warnings`, async () => {
      const r = await compare(customers(), { columns: ['recency_days', 'frequency', 'monetary'], method }, { method: 'typed', weights: rfm });
      expect(r.covered).toEqual({ norm: 'duckdb', score: 'duckdb' });
    });
  }

  it('every numeric column when the list is empty, a suffix, clipping, and ties in the rank', async () => {
    const r = await compare(customers(), { columns: [], method: 'z-score', suffix: '_z', clip: true }, { method: 'typed', weights: { recency_days_z: -1, frequency_z: 1 } });
    expect(r.covered).toEqual({ norm: 'duckdb', score: 'duckdb' });
  });

  it('missing values: an incomplete row gets no score and the warning is the same', async () => {
    const t = customers().derive({ frequency: aq.escape((d: { frequency: number }) => (d.frequency === 4 ? null : d.frequency)) });
    const r = await compare(t, { columns: ['recency_days', 'frequency', 'monetary'] }, { method: 'typed', weights: rfm });
    expect(r.covered).toEqual({ norm: 'duckdb', score: 'duckdb' });
    expect(r.issues).toEqual(['weight.incompleteRows']);
  });

  it('unnormalised input to weight and clashing output names warn as in the default engine', async () => {
    const t = customers().derive({ score: () => 1 });
    const r = await compare(t, { columns: ['frequency'], suffix: '_n' }, { method: 'typed', weights: { monetary: 1, frequency_n: 1 } });
    expect(r.covered).toEqual({ norm: 'duckdb', score: 'duckdb' });
    expect(r.issues).toEqual(['weight.notNormalised', 'weight.replacedColumns']);
  });
});

describe('--engine duckdb on degenerate tables', () => {
  const base = customers;
  const cases: { name: string; table: () => ColumnTable; sql: boolean }[] = [
    { name: 'an empty table', table: () => base().slice(0, 0), sql: false },
    { name: 'one row', table: () => base().slice(0, 1), sql: true },
    { name: 'an all-null column', table: () => base().derive({ frequency: () => null }), sql: false },
    { name: 'a constant column', table: () => base().derive({ monetary: () => 5 }), sql: true },
    { name: 'NaN and Infinity', table: () => base().assign(aq.table({ frequency: [NaN, Infinity, -Infinity, 1, 2, NaN] })), sql: false },
    { name: 'a wrong type', table: () => base().assign(aq.table({ frequency: ['a', 'b', 'c', 'd', 'e', 'f'] })), sql: false },
    { name: 'a missing column named in params', table: () => base().select('customer_id', 'recency_days', 'monetary'), sql: false },
  ];
  for (const c of cases) {
    it(`${c.name}: same states, messages and outputs${c.sql ? ', normalise run in DuckDB' : ''}`, async () => {
      const r = await compare(c.table(), { columns: ['recency_days', 'frequency', 'monetary'] }, { method: 'typed', weights: rfm });
      if (c.sql) expect(r.covered.norm).toBe('duckdb');
    });
  }

  it('entropy weights stay in the default engine and say so', async () => {
    const r = await compare(customers(), { columns: ['recency_days', 'frequency', 'monetary'] }, { method: 'entropy', columns: ['frequency', 'monetary'] });
    expect(r.covered).toEqual({ norm: 'duckdb', score: 'default' });
  });
});

describe('--engine duckdb: user text is data', () => {
  const names = ['it\'s "q"', 'a; DROP TABLE x; --', '-- c', '客户价值 🙂'];
  it('column names and values with quotes, semicolons, -- and Unicode pass through unchanged', async () => {
    const t = aq.table({
      [names[0]!]: ["O'Brien", 'say "x"', '; DELETE FROM t; --', '--', '名字', "'); DROP TABLE y; --"],
      [names[1]!]: [1, 2, 3, 4, 5, 6],
      [names[2]!]: [6, 5, 4, 3, 2, 1],
      [names[3]!]: [0.5, 0.25, 1, 0, 0.75, 0.125],
    });
    const r = await compare(t, { columns: [names[1], names[2], names[3]], method: 'robust', suffix: "_'n\"" }, { method: 'typed', weights: { [`${names[1]}_'n"`]: 1, [names[3]!]: -1 } });
    expect(r.covered).toEqual({ norm: 'duckdb', score: 'duckdb' });
  });
});
