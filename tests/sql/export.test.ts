/**
 * Issue #21's `insight export --sql` check: the default project (customer-insight) and the
 * example pipelines with exported nodes are exported with the CLI, each boundary file the
 * header names is written as `insight run --out` writes it (from the default engine's outputs),
 * the script is run in DuckDB (@duckdb/node-api; the tests skip, saying so, when it is missing),
 * and every table it makes must give the same customers (ids, in row order) and figures (to
 * 1e-9) as the default engine. The header must name the covered nodes, the inputs read and
 * every node that remains.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { ancestors } from '../../src/engine/graph.ts';
import { isTable, portFile } from '../../src/engine/port-codec.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { exportSql } from '../../src/sql/export.ts';
import { differences, runWith } from './compare.ts';

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

/** Runs the script in a fresh in-memory database and reads back the named tables. */
async function runScript(script: string, tables: string[]): Promise<Record<string, ColumnTable>> {
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
    return out;
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** The examples checked: the default project, and others whose input file is bound from ../shared/data. */
const cases: { name: string; input: string | null; covered: string[] }[] = [
  { name: 'customer-insight', input: null, covered: ['normalise', 'weight'] },
  { name: 'online-retail-rfm', input: 'online-retail/online_retail_sample.csv', covered: ['normalise1', 'weight1'] },
  { name: 'online-retail-clv', input: 'online-retail/online_retail_sample.csv', covered: ['normalise1'] },
];

describe('insight export --sql, run in DuckDB, gives the same customers and figures as insight run', () => {
  for (const c of cases) {
    const path = c.input ? join(data, c.input) : null;
    const absent = path !== null && !existsSync(path) ? ` (skipped: ${path} is absent)` : '';
    it.skipIf(noDuckdb !== '' || absent !== '')(`${c.name}: covers ${c.covered.join(', ')}; the header names its inputs and every node that remains${noDuckdb}${absent}`, { timeout: 600_000 }, async () => {
      const full = example(c.name);
      const planned = exportSql(full, nodeRegistry, new Map());
      expect(planned.covered).toEqual(c.covered);
      // The default engine runs what the covered nodes read from (and the covered nodes, to compare).
      const keep = new Set([...c.covered, ...ancestors(full, c.covered)]);
      const doc: PipelineDocument = { ...full, nodes: full.nodes.filter((n) => keep.has(n.id)), edges: full.edges.filter((e) => keep.has(e.from[0]) && keep.has(e.to[0])) };
      const a = await runWith('default', doc, {}, { files: path ? { load1: path } : {} });
      const bindings: string[] = [];
      for (const input of planned.inputs) {
        const [node = '', port = ''] = input.path.replace(/\.csv$/, '').split('.');
        const file = portFile(node, port, a.outputs[node]?.[port]);
        const at = join(dir, `${c.name}-${file.filename}`);
        writeFileSync(at, file.text);
        bindings.push('--input', `${node}.${port}=${at}`);
      }
      const sqlPath = join(dir, `${c.name}.sql`);
      const r = spawnSync(process.execPath, [bin, 'export', join('public', 'examples', `${c.name}.json`), '--sql', sqlPath, ...bindings], { cwd: root, encoding: 'utf8', timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
      const script = readFileSync(sqlPath, 'utf8');
      const header = script.split('\n').filter((l) => l.startsWith('--'));
      expect(header).toContain(`-- Covers ${c.covered.length} node(s): ${c.covered.map((id) => JSON.stringify(id)).join(', ')}.`);
      expect(header).toContain(`-- Reads ${planned.inputs.length} input(s):`);
      for (const input of planned.inputs) expect(header.some((l) => l.includes(JSON.stringify(input.relation)) && l.includes('read_csv'))).toBe(true);
      const remaining = full.nodes.filter((n) => !c.covered.includes(n.id));
      expect(header).toContain(`-- Remain for the studio/CLI: ${remaining.length} node(s):`);
      for (const n of remaining) expect(header.some((l) => l.startsWith(`--   ${JSON.stringify(n.id)}: `)), n.id).toBe(true);
      const got = await runScript(script, c.covered.map((id) => `${id}.table`));
      for (const id of c.covered) {
        const want = a.outputs[id]?.table;
        const table = got[`${id}.table`];
        if (!isTable(want) || !table) throw new Error(`no ${id} table`);
        expect(table.numRows(), id).toBe(want.numRows());
        expect(table.numRows(), id).toBeGreaterThan(0);
        expect(differences(want, table, TOL, id)).toEqual([]);
      }
    });
  }
});
