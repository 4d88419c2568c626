/**
 * Issue #21's `insight export --sql` check: the default project (customer-insight, the sample
 * project the studio opens) and every example pipeline are exported, reading their own input
 * files; each file of a remaining node that the script reads is written as `insight run --out`
 * writes it (from the default engine's outputs); the script is run in a fresh DuckDB
 * (@duckdb/node-api; the tests skip, saying so, when it is missing) and every covered node's
 * table must equal the default engine's output (numbers to 1e-9; text, ids, column names and
 * row order exactly); the sequence node's per-customer-period table must equal its tensor's
 * cells, and the rules node's baskets the kernel's (basketsFromCells). The header must name the
 * covered nodes, the inputs read, what was decided at export time and every node that remains.
 * Examples whose input lives in ../shared/data skip, saying so, when it is absent.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { basketsFromCells } from '../../src/data/baskets.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { isTable, tableCsvPieces } from '../../src/engine/port-codec.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { basketsFromPairs } from '../../src/ml/fpgrowth.ts';
import type { Sequences } from '../../src/engine/ports.ts';
import { exportSql, sqlPart, type ExportedSql } from '../../src/sql/export.ts';
import { differences, exampleInputs as inputs, runWith, type RunResult } from './compare.ts';

const TOL = 1e-9;
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'insight.mjs');
const data = join(root, '..', 'shared', 'data');
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const duckdb = await import('@duckdb/node-api').catch(() => null);
const noDuckdb = duckdb === null ? ' (skipped: @duckdb/node-api, a dev dependency, is not installed)' : '';

function example(name: string): PipelineDocument {
  const result = loadPipeline(JSON.parse(readFileSync(join(root, 'public', 'examples', `${name}.json`), 'utf8')), nodeRegistry);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.document;
}

/** Runs the script in a fresh in-memory database and reads back the named tables (and the list of every table). */
async function runScript(script: string, tables: string[]): Promise<{ tables: Record<string, ColumnTable>; all: string[] }> {
  if (!duckdb) throw new Error('no DuckDB');
  const db = await duckdb.DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(script);
    const out: Record<string, ColumnTable> = {};
    for (const name of tables) {
      const reader = await c.runAndReadAll(`SELECT * FROM "${name.replaceAll('"', '""')}"`);
      const columns = reader.getColumnsJS().map((values) => values.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
      out[name] = aq.table(Object.fromEntries(reader.columnNames().map((n, j) => [n, columns[j] ?? []])));
    }
    const all = (await c.runAndReadAll('SELECT table_name FROM information_schema.tables')).getRowsJS().map((r) => String(r[0]));
    return { tables: out, all };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Writes a table as `insight run --out` does. */
function writeOut(path: string, table: unknown): void {
  if (!isTable(table)) throw new Error(`${path}: not a table`);
  const fd = openSync(path, 'w');
  try {
    for (const piece of tableCsvPieces(table)) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** Whether a port value is the sequence node's tensor output. */
function isSequences(value: unknown): value is Sequences {
  return typeof value === 'object' && value !== null && 'x' in value && value.x instanceof Float32Array && 'ids' in value && Array.isArray(value.ids);
}

/** Every cell of a sequence node's periods table equals its tensor's, and every active cell of the tensor has a row. */
function checkPeriods(table: ColumnTable, sequences: unknown, idColumn: string, countRows: boolean): string[] {
  if (!isSequences(sequences)) return ['no sequences'];
  const s = sequences;
  const activity = s.featureNames.slice(0, typeof s.meta.activityFeatures === 'number' ? s.meta.activityFeatures : 0);
  expect(table.columnNames()).toEqual([idColumn, 'step', 'period', ...activity]);
  const index = new Map(s.ids.map((id, i) => [id, i]));
  const problems: string[] = [];
  const seen = new Set<number>();
  const keys = table.array(idColumn);
  const steps = table.array('step');
  for (let r = 0; r < table.numRows(); r++) {
    const i = index.get(String(keys[r]));
    const step = Number(steps[r]);
    if (i === undefined) {
      problems.push(`row ${r}: customer ${String(keys[r])} is not in the tensor`);
      continue;
    }
    seen.add(i * s.steps + step);
    activity.forEach((name, d) => {
      const want = s.x[(i * s.steps + step) * s.features + d] ?? Number.NaN;
      const got = Math.fround(Number(table.array(name)[r]));
      if (Math.abs(got - want) > TOL) problems.push(`${String(keys[r])} step ${step} ${name}: ${got} vs ${want}`);
    });
  }
  // A customer-period without a row has no rows in the window: its activity features are all 0 in the tensor.
  if (countRows) {
    for (let cell = 0; cell < s.ids.length * s.steps; cell++) if (!seen.has(cell) && (s.x[cell * s.features] ?? 0) !== 0) problems.push(`tensor cell ${cell} has rows but no periods row`);
  }
  return problems.slice(0, 6);
}

/** What each example's script covers, and which nodes leave their SQL part as tables (the nodes the DuckDB engine runs there, tests/sql/examples.test.ts). */
const expected: Record<string, { covered: string[]; partial: string[] }> = {
  'customer-insight': { covered: ['transactions', 'events', 'customers', 'products', 'features', 'normalise', 'weight'], partial: [] },
  'groceries-recommend': { covered: ['load1'], partial: [] },
  'groceries-rules': { covered: [], partial: ['rules1', 'rules2'] },
  'online-retail-clv': { covered: ['load1', 'clean1', 'before1', 'features1', 'normalise1'], partial: ['sequence1'] },
  'online-retail-cohorts': { covered: ['load1', 'cohorts1'], partial: [] },
  'online-retail-intent': { covered: ['load1', 'clean1', 'before1', 'features1'], partial: ['sequence1'] },
  'online-retail-recommend': { covered: [], partial: [] },
  'online-retail-rfm': { covered: ['load1', 'clean1', 'features1', 'normalise1', 'weight1'], partial: [] },
  'online-shoppers': { covered: [], partial: [] },
  'telco-churn': { covered: ['load1', 'clean'], partial: [] },
};

/** Checks a script against the default engine's run of the same part: every table, and the header. */
async function check(name: string, doc: PipelineDocument, exported: ExportedSql, a: RunResult): Promise<void> {
  const want = expected[name] ?? { covered: [], partial: [] };
  expect(exported.covered).toEqual(want.covered);
  expect(exported.failed).toEqual([]);
  const partial = exported.remaining.filter((r) => r.reason.startsWith('ran its SQL part here')).map((r) => r.id);
  expect(partial.sort()).toEqual([...want.partial].sort());
  const header = exported.text.split('\n').filter((l) => l.startsWith('--'));
  expect(header).toContain(`-- Covers ${want.covered.length} node(s): ${want.covered.map((id) => JSON.stringify(id)).join(', ') || 'none'}.`);
  expect(header).toContain(`-- Remain for the studio/CLI: ${doc.nodes.length - want.covered.length} node(s):`);
  for (const n of doc.nodes) {
    if (!want.covered.includes(n.id)) expect(header.some((l) => l.startsWith(`--   ${JSON.stringify(n.id)}: `)), n.id).toBe(true);
  }
  for (const input of exported.inputs) expect(header.some((l) => l.includes(JSON.stringify(input.path))), input.path).toBe(true);
  for (const id of want.covered.filter((i) => doc.nodes.find((n) => n.id === i)?.kind === 'load')) expect(header.some((l) => l.startsWith(`--   ${JSON.stringify(id)}: column types inferred from `)), id).toBe(true);
  // The remaining nodes' tables the script reads, written as --out writes them.
  for (const input of exported.inputs.filter((i) => i.kind === 'boundary')) {
    const [node = '', port = ''] = input.node.split('.');
    writeOut(input.path, a.outputs[node]?.[port]);
  }
  const { tables, all } = await runScript(exported.text, exported.tables.map((t) => t.table));
  // Only the script's own tables and its helpers (named "<node>:…") exist.
  expect(all.filter((t) => !t.includes(':')).sort()).toEqual(exported.tables.map((t) => t.table).sort());
  for (const t of exported.tables) {
    const got = tables[t.table];
    if (!got) throw new Error(`no ${t.table}`);
    const node = doc.nodes.find((n) => n.id === t.node);
    if (node?.kind === 'sequence') {
      expect(got.numRows(), t.table).toBeGreaterThan(0);
      expect(checkPeriods(got, a.outputs[t.node]?.sequences, String(node.params.idColumn), node.params.countRows !== false), t.table).toEqual([]);
    } else if (node?.kind === 'rules') {
      if (t.port !== 'baskets') continue;
      const items = tables[`${t.node}.items`];
      const edge = doc.edges.find((e) => e.to[0] === t.node && e.to[1] === 'table');
      const input = edge ? a.outputs[edge.from[0]]?.[edge.from[1]] : undefined;
      if (!items || !isTable(input)) throw new Error(`${t.node}: no items or input`);
      const b = input.array(String(node.params.basketColumn));
      const i = input.array(String(node.params.itemColumn));
      const kernel = basketsFromCells((r) => b[r], (r) => i[r], input.numRows(), null);
      const bids = Int32Array.from(got.array('bid'), Number);
      const iids = Int32Array.from(got.array('iid'), Number);
      const names = Array.from(items.array('item'), String);
      const nBaskets = bids.length === 0 ? 0 : (bids[bids.length - 1] ?? -1) + 1;
      const fromScript = basketsFromPairs(bids, iids, nBaskets, names.length);
      expect(Array.from(items.array('item_id'), Number)).toEqual(names.map((_, k) => k));
      expect(names).toEqual(kernel.itemNames);
      expect(Array.from(fromScript.offsets)).toEqual(Array.from(kernel.baskets.offsets));
      expect(Array.from(fromScript.items)).toEqual(Array.from(kernel.baskets.items));
    } else {
      const wanted = a.outputs[t.node]?.[t.port];
      expect(isTable(wanted), t.table).toBe(true);
      expect(got.numRows(), t.table).toBeGreaterThan(0);
      expect(differences(wanted, got, TOL, t.table)).toEqual([]);
    }
  }
}

const files = Object.keys(inputs);

describe('insight export --sql, run in DuckDB, gives the same customers and figures as insight run', () => {
  for (const name of files) {
    const input = inputs[name] ?? null;
    const path = input === null ? null : join(data, input);
    const absent = path !== null && !existsSync(path) ? ` (skipped: ${path} is absent)` : '';
    const want = expected[name];
    it.skipIf(noDuckdb !== '' || absent !== '')(`${name}: the script covers ${want?.covered.join(', ') || 'no node'}${want?.partial.length ? ` and the SQL part of ${want.partial.join(', ')}` : ''}, each table equal to insight run's${noDuckdb}${absent}`, { timeout: 600_000 }, async () => {
      const doc = example(name);
      const bound = new Map(path === null ? [] : [['load1', path]]);
      const out = join(dir, name);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(out, { recursive: true });
      const exported = await exportSql(doc, nodeRegistry, { files: bound, boundaries: new Map(), out, host: createNodeHost({ files: Object.fromEntries(bound) }) });
      if ('problems' in exported) throw new Error(exported.problems.map((p) => p.message).join('; '));
      const a = await runWith('default', sqlPart(doc), {}, { files: Object.fromEntries(bound) });
      await check(name, doc, exported, a);
      // With --out the script COPYs every table there.
      for (const t of exported.tables) expect(existsSync(join(out, `${t.table}.csv`)), t.table).toBe(true);
    });
  }

  it.skipIf(noDuckdb !== '')(`a pipeline of one's own: CSV load → anonymise (hash, age bands) → weekly cohorts, and Parquet load → features with category shares (some grouped into share_other) → z-score normalise → weight, all covered, each table equal${noDuckdb}`, { timeout: 600_000 }, async () => {
    const lines = ['customer,age,time,invoice,price,qty,product,cat'];
    const cats = ['Toys', '"Kid\'s ""best""; --"', 'Café', '', 'Home & Garden', 'home garden', '玩具', 'Misc'];
    for (let r = 0; r < 400; r++) {
      const day = (r * 53) % 200;
      const time = new Date(Date.UTC(2023, 10, 1) + day * 86_400_000 + (r % 17) * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      lines.push([`c${(r * 7) % 37}`, String(18 + ((r * 11) % 80)), time, `i${Math.floor(r / 3)}`, ((r % 19) + 0.5).toFixed(2), String(r % 9 === 0 ? -1 : 1 + (r % 5)), `p${r % 23}`, cats[(r * 5) % 7 + (r % 31 === 0 ? 1 : 0)] ?? ''].join(','));
    }
    const csvPath = join(dir, 'mine.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(csvPath, `${lines.join('\n')}\n`);
    const parquetPath = join(dir, 'mine.parquet');
    if (!duckdb) throw new Error('no DuckDB');
    const db = await duckdb.DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT customer, CAST(age AS DOUBLE) AS age, CAST(time AS VARCHAR) AS time, invoice, price, CAST(qty AS BIGINT) AS qty, product, cat FROM read_csv('${csvPath}', header = true, all_varchar = false)) TO '${parquetPath}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    const node = (id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] => ({ id, kind, version: nodeRegistry[kind]?.version ?? 1, params, position: [0, 0], note: '' });
    const doc: PipelineDocument = {
      format: 'insight-pipeline', version: 1, name: 'mine', description: '', seed: 7, notes: [],
      nodes: [
        node('load1', 'load', {}),
        node('anon', 'anonymise', { hash: ['customer'], salt: 'pepper', hashChars: 16, ageColumn: 'age', bandWidth: 10, topCode: 70 }),
        node('weekly', 'cohorts', { customerColumn: 'customer', timeColumn: 'time', priceColumn: 'price', quantityColumn: 'qty', period: 'week', maxPeriods: 8 }),
        node('load2', 'load', {}),
        node('rfm', 'features', { customer: 'customer', invoice: 'invoice', time: 'time', quantity: 'qty', price: 'price', product: 'product', category: 'cat', maxCategories: 5, referenceDate: '2024-06-01' }),
        node('z', 'normalise', { columns: ['recency_days', 'frequency', 'monetary'], method: 'z-score', suffix: '_z' }),
        node('score', 'weight', { method: 'typed', weights: { recency_days_z: -1, frequency_z: 1, monetary_z: 2 } }),
      ],
      edges: [
        { from: ['load1', 'table'], to: ['anon', 'table'] },
        { from: ['anon', 'table'], to: ['weekly', 'table'] },
        { from: ['load2', 'table'], to: ['rfm', 'table'] },
        { from: ['rfm', 'table'], to: ['z', 'table'] },
        { from: ['z', 'table'], to: ['score', 'table'] },
      ],
    };
    const bound = new Map([['load1', csvPath], ['load2', parquetPath]]);
    const exported = await exportSql(doc, nodeRegistry, { files: bound, boundaries: new Map(), host: createNodeHost({ files: Object.fromEntries(bound) }) });
    if ('problems' in exported) throw new Error(exported.problems.map((p) => p.message).join('; '));
    expected.mine = { covered: ['load1', 'anon', 'weekly', 'load2', 'rfm', 'z', 'score'], partial: [] };
    expect(exported.text).toContain('the hash salt is written in this script');
    // Five categories of their own, the rest in share_other, computed by the script itself.
    expect(exported.text).toContain(' AS "share_other" FROM ');
    const a = await runWith('default', doc, {}, { files: Object.fromEntries(bound) });
    await check('mine', doc, exported, a);
    expect(exported.tables.map((t) => t.table)).toEqual(['load1.table', 'anon.table', 'weekly.table', 'weekly.matrix', 'load2.table', 'rfm.table', 'z.table', 'score.table']);
  });

  it.skipIf(noDuckdb !== '')(`the CLI writes the default project's script, reading its bundled samples, which runs with no other file${noDuckdb}`, { timeout: 600_000 }, async () => {
    const sqlPath = join(dir, 'customer-insight.sql');
    const r = spawnSync(process.execPath, [bin, 'export', join('public', 'examples', 'customer-insight.json'), '--sql', sqlPath], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('7 node(s) as SQL (transactions, events, customers, products, features, normalise, weight)');
    const script = readFileSync(sqlPath, 'utf8');
    // features (with its category shares, joined from the products load) is covered; it reads the table of clean_tx, which remains.
    expect(script).toContain('--   "clean_tx.table" <- read_csv("clean_tx.table.csv")');
    expect(script).not.toContain('features.table.csv');
    const header = script.split('\n').filter((l) => l.startsWith('--'));
    expect(header).toContain('--   "clean_tx": chosen number columns are parsed by the default engine');
    expect(header.some((l) => l.startsWith('--   "features": ') && l.includes('"share_electronics"'))).toBe(true);
    // The load part alone runs on the bundled samples.
    const loads = script.slice(0, script.indexOf('-- node "features"'));
    const { tables } = await runScript(loads, ['transactions.table']);
    const a = await runWith('default', { ...example('customer-insight'), nodes: example('customer-insight').nodes.filter((n) => n.id === 'transactions'), edges: [] });
    expect(differences(a.outputs.transactions?.table, tables['transactions.table'], TOL, 'transactions')).toEqual([]);
  });

  it('the CLI refuses an --input that names neither a node nor a port, with exit code 2', () => {
    const r = spawnSync(process.execPath, [bin, 'export', join('public', 'examples', 'online-retail-rfm.json'), '--sql', join(dir, 'x.sql'), '--input', 'nosuch=whatever.csv'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"nosuch"');
  });
});
