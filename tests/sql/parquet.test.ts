import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A Parquet file written by DuckDB from a SELECT. */
async function parquet(select: string): Promise<string> {
  const path = join(dir, `p${++files}.parquet`);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
  return path;
}

function node(id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] {
  return { id, kind, version: 1, params, position: [0, 0], note: '' };
}

/** load (→ clean → features when given) of a Parquet file on both engines; every node equal; returns where each ran. */
async function compare(path: string, features: Record<string, unknown> | null = null, load: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const nodes = [node('load1', 'load', load)];
  const edges: PipelineDocument['edges'] = [];
  if (features) {
    nodes.push(node('clean1', 'clean', {}), node('features1', 'features', features));
    edges.push({ from: ['load1', 'table'], to: ['clean1', 'table'] }, { from: ['clean1', 'table'], to: ['features1', 'table'] });
  }
  const doc: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'parquet', description: '', seed: 1, notes: [], nodes, edges };
  const host = { files: { load1: path } };
  const a = await runWith('default', doc, {}, host);
  const b = await runWith('duckdb', doc, {}, host);
  for (const n of doc.nodes) {
    expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
    expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
    expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
  }
  return Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine === 'duckdb' ? 'duckdb' : `default: ${c.reason}`]));
}

const mixed = `SELECT * FROM (VALUES
  ('0123', 'a', '2011-01-04 10:00:00', '12', 1.5::DOUBLE, 3::INTEGER, 10::BIGINT, 0.1::FLOAT, NULL::DOUBLE, 'NA'),
  ('0456', '客户 "x"', '2011-02-05 11:30:00', '7.25', 'NaN'::DOUBLE, NULL::INTEGER, -5::BIGINT, 2.5::FLOAT, NULL::DOUBLE, '3'),
  (NULL, '', NULL, '-0', 'Infinity'::DOUBLE, 7::INTEGER, 9007199254740991::BIGINT, NULL::FLOAT, NULL::DOUBLE, '4'),
  ('0789', 'line
break', '2011-03-06', '', -0.0::DOUBLE, -2::INTEGER, 0::BIGINT, -1.25::FLOAT, NULL::DOUBLE, 'null')
) AS t(zip, name, time, amount, x, i, big, f, empty, marked)`;

describe('--engine duckdb: Parquet load (read_parquet) equals the hyparquet reader', () => {
  it('text columns typed as CSV cells are (leading zeros, dates, numbers, markers), numbers with NaN and ±Infinity noted, integers, floats, an all-null column', async () => {
    expect(await compare(await parquet(mixed))).toEqual({ load1: 'duckdb' });
    expect(await compare(await parquet(mixed), null, { format: 'parquet', dateOrder: 'day-first' })).toEqual({ load1: 'duckdb' });
  });

  it('a transactions file through load → clean → features, all in DuckDB', async () => {
    const path = await parquet(`SELECT 'c' || (i % 17) AS customer, 'inv' || (i // 3) AS invoice, strftime(TIMESTAMP '2011-01-01' + to_minutes(i * 97), '%Y-%m-%d %H:%M:%S') AS time, (i % 5) + 1 AS qty, ((i * 37) % 1000) / 100.0 AS price FROM range(300) t(i)`);
    expect(await compare(path, { customer: 'customer', invoice: 'invoice', time: 'time', quantity: 'qty', price: 'price' })).toEqual({ load1: 'duckdb', clean1: 'duckdb', features1: 'duckdb' });
  });

  it('declines, saying why, booleans, timestamps and integers past 2^53; the default engine then gives the same result', async () => {
    expect((await compare(await parquet('SELECT true AS b, 1 AS n'))).load1).toMatch(/"b" is BOOLEAN/);
    expect((await compare(await parquet("SELECT TIMESTAMP '2011-01-01 10:00:00' AS t, 1 AS n"))).load1).toMatch(/"t" is TIMESTAMP/);
    expect((await compare(await parquet('SELECT 9007199254740993::BIGINT AS big'))).load1).toMatch(/past 2\^53/);
  });
});
