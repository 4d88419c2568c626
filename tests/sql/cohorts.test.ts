import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-cohorts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function node(id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] {
  return { id, kind, version: 1, params, position: [0, 0], note: '' };
}

function feedKind(table: ColumnTable): AnyNodeSpec {
  return { kind: 'feed', version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: table }) };
}

/** Runs source → cohorts on both engines; every node's state, messages and outputs equal; returns where cohorts ran. */
async function compare(source: { csv: string } | { table: ColumnTable }, params: Record<string, unknown>): Promise<string> {
  const first = 'csv' in source ? node('load1', 'load', {}) : node('load1', 'feed', {});
  const doc: PipelineDocument = {
    format: 'insight-pipeline', version: 1, name: 'cohorts', description: '', seed: 1, notes: [],
    nodes: [first, node('cohorts1', 'cohorts', params)],
    edges: [{ from: ['load1', 'csv' in source ? 'table' : 'out'], to: ['cohorts1', 'table'] }],
  };
  let host = {};
  let extra: Record<string, AnyNodeSpec> = {};
  if ('csv' in source) {
    const path = join(dir, `c${++files}.csv`);
    writeFileSync(path, source.csv);
    host = { files: { load1: path } };
  } else extra = { feed: feedKind(source.table) };
  const a = await runWith('default', doc, extra, host);
  const b = await runWith('duckdb', doc, extra, host);
  for (const n of doc.nodes) {
    expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
    expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
  }
  const c = b.covered.get('cohorts1');
  return c?.engine === 'duckdb' ? 'duckdb' : `default: ${c?.reason ?? 'not run'}`;
}

/** 400 purchases over 2010-12 … 2011-12: float ids with blanks and padding, returns, missing times, a few rows at month and week edges. */
function retail(): string {
  const lines = ['InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice'];
  let seed = 11;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let r = 0; r < 400; r++) {
    const ms = Date.UTC(2010, 11, 1) + Math.floor(next() * 390 * 86_400) * 1000;
    const time = next() < 0.02 ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    const id = next() < 0.04 ? '' : `${next() < 0.1 ? ' ' : ''}${12000 + Math.floor(next() * 60)}.0`;
    const qty = next() < 0.08 ? -Math.ceil(next() * 5) : Math.ceil(next() * 12);
    lines.push(`${536000 + r},${id},${time},${qty},${(Math.floor(next() * 1000) / 100).toFixed(2)}`);
  }
  lines.push('999001,12001.0,2011-01-31 23:59:59,1,0.1', '999002,12001.0,2011-02-01 00:00:00,2,0.2', '999003,12002.0,2011-01-02 23:59:59,1,0.3', '999004,12002.0,2011-01-03 00:00:00,1,0.7');
  return `${lines.join('\n')}\n`;
}

const params = { customerColumn: 'CustomerID', timeColumn: 'InvoiceDate', priceColumn: 'UnitPrice', quantityColumn: 'Quantity', period: 'month', maxPeriods: 13 };

describe('--engine duckdb: cohorts as SQL equals the kernel', () => {
  it('months and ISO weeks over a loaded retail file (float ids with padding, returns, missing customers and times): load and cohorts in DuckDB, same tables and warning', async () => {
    expect(await compare({ csv: retail() }, params)).toBe('duckdb');
    expect(await compare({ csv: retail() }, { ...params, period: 'week', maxPeriods: 60 })).toBe('duckdb');
  });

  it('only a quantity, and neither price nor quantity (every row a purchase worth 0)', async () => {
    expect(await compare({ csv: retail() }, { ...params, priceColumn: '' })).toBe('duckdb');
    expect(await compare({ csv: retail() }, { ...params, priceColumn: '', quantityColumn: '' })).toBe('duckdb');
  });

  it('numeric keys (with -0 and 0 as one customer), epoch-ms numbers as times, text keys with JS whitespace, an empty result', async () => {
    const day = 86_400_000;
    const numeric = aq.table({ id: [1, 2, -0, 0, 2, null], t: [0, 40 * day, 3 * day, 70 * day, 90 * day, 5 * day], v: [1, 2, 3, 4, 5, 6] });
    expect(await compare({ table: numeric }, { customerColumn: 'id', timeColumn: 't', priceColumn: 'v', quantityColumn: '', period: 'month', maxPeriods: 4 })).toBe('duckdb');
    const text = aq.table({ id: ['a', ' a\u00a0', '\u3000', 'b', 'b ', ''], t: [0, 40 * day, 3 * day, 70 * day, 90 * day, 5 * day], v: [1, 2, 3, -4, 5, 6] });
    expect(await compare({ table: text }, { customerColumn: 'id', timeColumn: 't', priceColumn: 'v', quantityColumn: '', period: 'week', maxPeriods: 20 })).toBe('duckdb');
    const returns = aq.table({ id: ['a', 'b'], t: [0, day], v: [-1, 0] });
    expect(await compare({ table: returns }, { customerColumn: 'id', timeColumn: 't', priceColumn: 'v', quantityColumn: '', period: 'month', maxPeriods: 3 })).toBe('duckdb');
  });

  it('declines, saying why, text times, a missing column and non-numeric values; the default engine then gives the same result', async () => {
    const t = aq.table({ id: ['a', 'b'], t: ['2024-01-01', '2024-02-01'], v: [1, 2], s: ['x', 'y'] });
    expect(await compare({ table: t }, { customerColumn: 'id', timeColumn: 't', priceColumn: 'v', quantityColumn: '', period: 'month', maxPeriods: 3 })).toMatch(/time column "t" holds text/);
    expect(await compare({ table: t }, { customerColumn: 'nope', timeColumn: 't', priceColumn: '', quantityColumn: '', period: 'month', maxPeriods: 3 })).toMatch(/"nope" is not in the input/);
    const n = aq.table({ id: ['a', 'b'], t: [0, 1], s: ['x', 'y'] });
    expect(await compare({ table: n }, { customerColumn: 'id', timeColumn: 't', priceColumn: 's', quantityColumn: '', period: 'month', maxPeriods: 3 })).toMatch(/"s" is not numbers/);
  });
});
