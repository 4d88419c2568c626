import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-sequence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function node(id: string, kind: string, params: Record<string, unknown>, version = 1): PipelineDocument['nodes'][number] {
  return { id, kind, version, params, position: [0, 0], note: '' };
}

/** load → clean → sequence (→ static features from features when `statics`) over a CSV; both engines; every node's state, messages and outputs equal. */
async function compare(csv: string, sequence: Record<string, unknown>, statics = false): Promise<Record<string, string>> {
  const path = join(dir, `f${++files}.csv`);
  writeFileSync(path, csv);
  const nodes = [node('load1', 'load', {}), node('clean1', 'clean', {}), node('sequence1', 'sequence', sequence, 2)];
  const edges: PipelineDocument['edges'] = [
    { from: ['load1', 'table'], to: ['clean1', 'table'] },
    { from: ['clean1', 'table'], to: ['sequence1', 'table'] },
  ];
  if (statics) {
    nodes.push(node('features1', 'features', { customer: 'customer', invoice: 'invoice', time: 'time', quantity: 'qty', price: 'price' }));
    edges.push({ from: ['clean1', 'table'], to: ['features1', 'table'] }, { from: ['features1', 'table'], to: ['sequence1', 'static'] });
  }
  const d: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'sequence', description: '', seed: 1, notes: [], nodes, edges };
  const host = { files: { load1: path } };
  const a = await runWith('default', d, {}, host);
  const b = await runWith('duckdb', d, {}, host);
  for (const n of d.nodes) {
    expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
    expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
  }
  return Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine === 'duckdb' ? 'duckdb' : `default: ${c.reason}`]));
}

/** Transactions over 2011: ids as float text with gaps and blanks, returns, missing values and times, rows before the window and after the horizon. */
function transactions(): string {
  const lines = ['invoice,customer,time,qty,price'];
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let r = 0; r < 600; r++) {
    const day = Math.floor(next() * 360);
    const time = new Date(Date.UTC(2011, 0, 1) + day * 86_400_000 + Math.floor(next() * 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const customer = next() < 0.03 ? '' : `${12000 + Math.floor(next() * 40)}.0`;
    const qty = next() < 0.03 ? '' : String((next() < 0.1 ? -1 : 1) * (1 + Math.floor(next() * 12)));
    const price = (Math.floor(next() * 1000) / 100 + 0.01).toFixed(2);
    lines.push(`${536000 + Math.floor(r / 3)},${customer},${next() < 0.02 ? '' : time},${qty},${price}`);
  }
  return `${lines.join('\n')}\n`;
}

const base = { idColumn: 'customer', timeColumn: 'time', cutoff: '2011-09-01', horizonEnd: '2011-11-30', values: { qty: 'sum', price: 'mean' } };

describe('--engine duckdb: the sequence node aggregates per customer and period in DuckDB, with the same sequences, labels and messages', () => {
  it('months, horizon labels by a positive quantity, missing ids, times and values', async () => {
    const covered = await compare(transactions(), { ...base, period: 'month', steps: 6, positiveColumn: 'qty' });
    expect(covered.sequence1).toBe('duckdb');
  });

  it('weeks and days, counts of values, unlabelled, and static features from another node', async () => {
    expect((await compare(transactions(), { ...base, period: 'week', steps: 20, values: { qty: 'count', price: 'sum' }, labelSource: 'none' })).sequence1).toBe('duckdb');
    expect((await compare(transactions(), { ...base, period: 'day', steps: 45, countRows: false }, true)).sequence1).toBe('duckdb');
    expect((await compare(transactions(), { ...base, period: 'week', steps: 8, staticColumns: ['recency_days', 'monetary'] }, true)).sequence1).toBe('duckdb');
  });

  it('text ids (trimmed, "17850.0" read as 17850), a cutoff on or before the data fails as in the default engine', async () => {
    const csv = ['customer,time,qty', ' a ,2011-01-03,1', 'a,2011-01-10,2', '17850.0,2011-01-04,3', '17850,2011-02-01,-1', 'b,2011-03-01,5', 'b,2011-03-20,', ',2011-03-02,1'].join('\n');
    expect((await compare(csv, { idColumn: 'customer', timeColumn: 'time', period: 'week', steps: 6, cutoff: '2011-03-07', horizonEnd: '2011-03-31', values: { qty: 'mean' } })).sequence1).toBe('duckdb');
    expect((await compare(csv, { idColumn: 'customer', timeColumn: 'time', period: 'week', steps: 6, cutoff: '2011-01-01', horizonEnd: '2011-03-31' })).sequence1).toBe('duckdb');
  });

  it('count-by features and a missing cutoff stay in the default engine, and say so', async () => {
    expect((await compare(transactions(), { ...base, period: 'month', steps: 3, countBy: 'invoice' })).sequence1).toMatch(/^default: count-by/);
    expect((await compare(transactions(), { ...base, period: 'month', steps: 3, cutoff: '' })).sequence1).toMatch(/^default: /);
  });
});
