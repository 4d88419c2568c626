/**
 * Issue #21's injection check: column names and values holding quotes, semicolons, `--`,
 * backslashes, Chinese, emoji, right-to-left text and line breaks inside quoted cells pass
 * through --engine duckdb as data. A CSV with such names and cells runs load → clean (with
 * conditions whose values are SQL fragments) → features → normalise → weight, and clean →
 * sequence, on both engines: every node runs in DuckDB and equals the default engine (numbers
 * to 1e-9, text exactly); the database holds no table a fragment could have created or dropped.
 * The exported script of that pipeline, and of normalise → weight reading a remaining load's
 * --out file, run in DuckDB to the same tables and create only their own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { isTable, portFile } from '../../src/engine/port-codec.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { exportSql } from '../../src/sql/export.ts';
import { differences, runWith } from './compare.ts';

const TOL = 1e-9;
const dir = mkdtempSync(join(tmpdir(), 'insight-sql-injection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

const C = { customer: '客户 "ID"', invoice: 'inv; DROP TABLE x; --', time: 'time\\ زمان', qty: "qty'--", price: 'price 🙂', product: 'prod\nuct' };
const ids = ["O'Brien", 'a"b', '; DELETE FROM t; --', '\\N', '王小明', '🙂👍', 'שלום עולם', 'line1\nline2', "'); DROP TABLE y; --"];
const products = ['-- no', 'p;1', "it's", '\\', '产品', '🙂', 'مرحبا', 'two\nlines'];

const quoted = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** 90 transactions over Jan–Apr 2024, every cell quoted, awkward ids and products. */
function csv(eol = '\n', c: typeof C = C): string {
  const lines = [[c.customer, c.invoice, c.time, c.qty, c.price, c.product].map(quoted).join(',')];
  for (let r = 0; r < 90; r++) {
    const day = (r * 37) % 110;
    const time = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + (r % 24) * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const invoice = r % 11 === 0 ? "'); DROP TABLE y; --" : `inv; ${Math.floor(r / 2)} --`;
    lines.push([ids[r % ids.length] ?? '', invoice, time, String(1 + (r % 7)), ((r % 13) + 0.25).toFixed(2), products[r % products.length] ?? ''].map(quoted).join(','));
  }
  return `${lines.join(eol)}${eol}`;
}

function node(id: string, kind: string, params: Record<string, unknown>, version = 1): PipelineDocument['nodes'][number] {
  return { id, kind, version, params, position: [0, 0], note: '' };
}

function doc(c: typeof C = C): PipelineDocument {
  return {
    format: 'insight-pipeline', version: 1, name: "injection'; --", description: '', seed: 1, notes: [],
    nodes: [
      node('load1', 'load', {}),
      node('clean1', 'clean', { dropDuplicates: true, conditions: [{ column: c.invoice, op: '!=', value: "'); DROP TABLE y; --" }, { column: c.product, op: 'not-contains', value: "'; --" }, { column: c.customer, op: 'not-starts-with', value: '\\' }] }),
      node('features1', 'features', { customer: c.customer, invoice: c.invoice, time: c.time, quantity: c.qty, price: c.price, product: c.product, category: c.product, maxCategories: 6, referenceDate: '2024-05-01' }),
      node('normalise1', 'normalise', { columns: ['recency_days', 'frequency', 'monetary'], method: 'robust', suffix: "_'n\"; --" }),
      node('weight1', 'weight', { method: 'typed', weights: { "recency_days_'n\"; --": -0.25, "frequency_'n\"; --": 0.35, "monetary_'n\"; --": 0.4 } }),
      node('sequence1', 'sequence', { idColumn: c.customer, timeColumn: c.time, period: 'week', steps: 6, cutoff: '2024-03-01', horizonEnd: '2024-04-15', values: { [c.qty]: 'sum', [c.price]: 'mean' } }, 2),
    ],
    edges: [
      { from: ['load1', 'table'], to: ['clean1', 'table'] },
      { from: ['clean1', 'table'], to: ['features1', 'table'] },
      { from: ['features1', 'table'], to: ['normalise1', 'table'] },
      { from: ['normalise1', 'table'], to: ['weight1', 'table'] },
      { from: ['clean1', 'table'], to: ['sequence1', 'table'] },
    ],
  };
}

describe('--engine duckdb: user text is data, never SQL', () => {
  async function compareOn(text: string, c: typeof C = C): Promise<{ covered: Record<string, string>; b: Awaited<ReturnType<typeof runWith>> }> {
    const path = join(dir, `awkward${++written}.csv`);
    writeFileSync(path, text);
    const d = doc(c);
    const host = { files: { load1: path } };
    const a = await runWith('default', d, {}, host);
    const b = await runWith('duckdb', d, {}, host);
    for (const n of d.nodes) {
      expect(a.statuses[n.id]?.state, n.id).not.toBe('error');
      expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
      expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
      expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
    }
    return { covered: Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine === 'duckdb' ? 'duckdb' : c.reason])), b };
  }

  it('awkward column names and cells (LF line ends) pass load → clean → features → normalise → weight and sequence in DuckDB, equal to the default engine', async () => {
    const { covered, b } = await compareOn(csv());
    expect(covered).toEqual({ load1: 'duckdb', clean1: 'duckdb', features1: 'duckdb', normalise1: 'duckdb', weight1: 'duckdb', sequence1: 'duckdb' });
    // The data really holds the awkward text: names as written, ids exactly, the conditions applied.
    const loaded = b.outputs.load1?.table;
    if (!isTable(loaded)) throw new Error('no loaded table');
    expect(loaded.columnNames()).toEqual(Object.values(C));
    expect(new Set(loaded.array(C.customer))).toEqual(new Set(ids));
    expect(new Set(loaded.array(C.product))).toEqual(new Set(products));
    const cleaned = b.outputs.clean1?.table;
    const features = b.outputs.features1?.table;
    if (!isTable(cleaned) || !isTable(features)) throw new Error('no cleaned table');
    expect(Array.from(cleaned.array(C.invoice))).not.toContain("'); DROP TABLE y; --");
    expect(Array.from(cleaned.array(C.customer))).not.toContain('\\N');
    expect(new Set(features.array(C.customer))).toEqual(new Set(ids.filter((id) => id !== '\\N')));
    // The awkward products are the categories: six share columns named from them (NFKD, quotes and '--' made '_'), the rest in share_other.
    expect(features.columnNames().filter((n) => n.startsWith('share_'))).toHaveLength(7);
    expect(features.columnNames()).toContain('share_other');
  });

  it('categories joined from a products table whose column names and cells are SQL fragments: in DuckDB, equal to the default engine', async () => {
    const key = "key'); DROP TABLE z; --";
    const category = '"cat"; DELETE FROM t; -- 类别';
    const listing = aq.table({ [key]: [...products, products[1] ?? ''], [category]: [...products.map((p, i) => `${p} «${i % 3}» '; --`), 'p;1 again'] });
    const path = join(dir, `awkward${++written}.csv`);
    writeFileSync(path, csv());
    const catalogue = { kind: 'catalogue', version: 1, label: 'Catalogue', description: '', category: 'data', inputs: {}, outputs: { out: 'table' }, params: {}, messages: {}, run: async () => ({ out: listing }) } as const;
    const d = doc();
    const f = d.nodes.find((n) => n.id === 'features1');
    if (!f) throw new Error('no features node');
    f.params = { ...f.params, category, productKey: key };
    const joinedDoc: PipelineDocument = { ...d, nodes: [...d.nodes, node('catalogue', 'catalogue', {})], edges: [...d.edges, { from: ['catalogue', 'out'], to: ['features1', 'products'] }] };
    const a = await runWith('default', joinedDoc, { catalogue }, { files: { load1: path } });
    const b = await runWith('duckdb', joinedDoc, { catalogue }, { files: { load1: path } });
    expect(b.covered.get('features1')?.engine).toBe('duckdb');
    expect(a.statuses.features1?.issues.map((i) => i.code)).toContain('features.conflictingCategories');
    expect(b.statuses.features1?.issues.map((i) => i.message)).toEqual(a.statuses.features1?.issues.map((i) => i.message));
    expect(differences(a.outputs.features1, b.outputs.features1, TOL, 'features1')).toEqual([]);
    const out = b.outputs.features1?.table;
    expect(isTable(out) ? out.columnNames().filter((n) => n.startsWith('share_')).length : 0).toBe(7);
  });

  it('the same file with CRLF line ends: load declines (DuckDB reads no rows when a CRLF header holds a line break) and says why; the rest runs in DuckDB, equal', async () => {
    const { covered } = await compareOn(csv('\r\n'));
    expect(covered.load1).toMatch(/line break.*CRLF/);
    expect(covered).toMatchObject({ clean1: 'duckdb', features1: 'duckdb', normalise1: 'duckdb', weight1: 'duckdb', sequence1: 'duckdb' });
  });

  it('CRLF line ends with line breaks only inside cells: load runs in DuckDB, equal', async () => {
    const names = { ...C, product: 'prod uct' };
    const { covered } = await compareOn(csv('\r\n', names), names);
    expect(covered.load1).toBe('duckdb');
  });

  /** Runs a script in a fresh database: the named tables, and every table name. */
  async function runScript(script: string, names: string[]): Promise<{ tables: Record<string, aq.ColumnTable>; all: string[] }> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      await c.run(script);
      const tables: Record<string, aq.ColumnTable> = {};
      for (const name of names) {
        const reader = await c.runAndReadAll(`SELECT * FROM "${name.replaceAll('"', '""')}"`);
        tables[name] = aq.table(Object.fromEntries(reader.columnNames().map((n, j) => [n, reader.getColumnsJS()[j] ?? []])));
      }
      const all = (await c.runAndReadAll('SELECT table_name FROM information_schema.tables')).getRowsJS().map((r) => String(r[0]));
      return { tables, all };
    } finally {
      c.closeSync();
      db.closeSync();
    }
  }

  it('the exported script of load → clean → features → normalise → weight (and sequence) over awkward names and cells runs in DuckDB to the same tables and creates only its own', async () => {
    const path = join(dir, "it's; -- awkward-export.csv");
    writeFileSync(path, csv());
    const d = doc();
    const exported = await exportSql(d, nodeRegistry, { files: new Map([['load1', path]]), boundaries: new Map(), host: createNodeHost({ files: { load1: path } }) });
    if ('problems' in exported) throw new Error('problems');
    expect(exported.covered).toEqual(['load1', 'clean1', 'features1', 'normalise1', 'weight1']);
    expect(exported.remaining.map((r) => r.id)).toEqual(['sequence1']);
    // Names in the header are JSON-quoted on one line each: the product column's line break is \n there.
    expect(exported.text).toContain('"prod\\nuct" text');
    const a = await runWith('default', d, {}, { files: { load1: path } });
    const { tables, all } = await runScript(exported.text, exported.tables.map((t) => t.table));
    expect(all.filter((t) => !t.includes(':')).sort()).toEqual(exported.tables.map((t) => t.table).sort());
    for (const t of exported.tables) {
      const got = tables[t.table];
      if (t.node === 'sequence1') {
        expect(got?.numRows()).toBeGreaterThan(0);
        continue;
      }
      expect(got?.numRows(), t.table).toBeGreaterThan(0);
      expect(differences(a.outputs[t.node]?.[t.port], got, TOL, t.table)).toEqual([]);
    }
  });

  it('a remaining node\'s table read back from its --out file keeps awkward text exactly, the spreadsheet guard undone', async () => {
    const path = join(dir, 'awkward-boundary.csv');
    writeFileSync(path, csv());
    const d: PipelineDocument = {
      ...doc(),
      nodes: [node('load1', 'load', { trim: true }), node("norm'; --", 'normalise', { columns: [C.qty, C.price], method: 'robust' }), node('weight"1', 'weight', { method: 'typed', weights: { [C.qty]: 0.7, [C.price]: -0.3 } })],
      edges: [
        { from: ['load1', 'table'], to: ["norm'; --", 'table'] },
        { from: ["norm'; --", 'table'], to: ['weight"1', 'table'] },
      ],
    };
    const a = await runWith('default', d, {}, { files: { load1: path } });
    const loaded = portFile('load1', 'table', a.outputs.load1?.table);
    const loadedPath = join(dir, `it's; -- ${loaded.filename}`);
    writeFileSync(loadedPath, loaded.text);
    expect(loaded.text).toContain("'-- no");
    const exported = await exportSql(d, nodeRegistry, { files: new Map([['load1', path]]), boundaries: new Map([['load1.table', loadedPath]]), host: createNodeHost({ files: { load1: path } }) });
    if ('problems' in exported) throw new Error('problems');
    expect(exported.covered).toEqual(["norm'; --", 'weight"1']);
    expect(exported.inputs).toEqual([{ node: 'load1.table', path: loadedPath, kind: 'boundary', placeholder: false }]);
    const { tables, all } = await runScript(exported.text, ["norm'; --.table", 'weight"1.table']);
    expect(all.filter((t) => !t.includes(':')).sort()).toEqual(["norm'; --.table", 'weight"1.table']);
    for (const id of ["norm'; --", 'weight"1']) {
      const got = tables[`${id}.table`];
      expect(got?.numRows(), id).toBe(90);
      expect(differences(a.outputs[id]?.table, got, TOL, id)).toEqual([]);
      expect(got?.array(C.product)).toContain('-- no');
    }
  });
});
