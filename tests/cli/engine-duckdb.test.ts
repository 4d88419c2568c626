import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { ancestors } from '../../src/engine/graph.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { differences, runWith } from '../sql/compare.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'insight.mjs');
const retail = join(root, '..', 'shared', 'data', 'online-retail', 'online_retail_sample.csv');
/** The Online Retail sample lives in ../shared/data beside the clone; without it those cases skip, saying so. */
const haveRetail = existsSync(retail);
const onRetail = haveRetail ? '' : ' (skipped: ../shared/data not found beside the repository)';
const dir = mkdtempSync(join(tmpdir(), 'insight-duckdb-'));
const TOL = 1e-9;

function insight(...args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stderr: r.stderr };
}

function example(name: string): PipelineDocument {
  const result = loadPipeline(JSON.parse(readFileSync(join(root, 'public', 'examples', name), 'utf8')), nodeRegistry);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.document;
}

/** The pipeline cut down to the given nodes and everything upstream of them. */
function upstreamOf(doc: PipelineDocument, ids: string[]): PipelineDocument {
  const keep = new Set([...ids, ...ancestors(doc, ids)]);
  return { ...doc, nodes: doc.nodes.filter((n) => keep.has(n.id)), edges: doc.edges.filter((e) => keep.has(e.from[0]) && keep.has(e.to[0])) };
}

/** Numbers-aware comparison of two CSV files written by --out (fields without quoted commas). */
function csvDifferences(a: string, b: string): string[] {
  const la = a.split('\n');
  const lb = b.split('\n');
  if (la.length !== lb.length) return [`${la.length} vs ${lb.length} lines`];
  const out: string[] = [];
  la.forEach((line, i) => {
    const fa = line.split(',');
    const fb = (lb[i] ?? '').split(',');
    if (fa.length !== fb.length) out.push(`line ${i}: ${line} vs ${lb[i]}`);
    fa.forEach((x, j) => {
      const y = fb[j] ?? '';
      const nx = Number(x);
      const ny = Number(y);
      const same = x === y || (x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) && Math.abs(nx - ny) <= TOL);
      if (!same) out.push(`line ${i} field ${j}: ${x} vs ${y}`);
    });
  });
  return out.slice(0, 5);
}

async function runScript(script: string, tables: string[]): Promise<Record<string, aq.ColumnTable>> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(script);
  const out: Record<string, aq.ColumnTable> = {};
  for (const name of tables) {
    const reader = await c.runAndReadAll(`SELECT * FROM "${name.replaceAll('"', '""')}"`);
    const columns = reader.getColumnsJS().map((values) => values.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    out[name] = aq.table(Object.fromEntries(reader.columnNames().map((n, j) => [n, columns[j] ?? []])));
  }
  c.closeSync();
  db.closeSync();
  return out;
}

describe('insight run --engine duckdb', () => {
  it.skipIf(!haveRetail)(`online-retail-rfm: the same files and exit code as the default engine, normalise and weight run in DuckDB${onRetail}`, () => {
    const a = insight('run', 'public/examples/online-retail-rfm.json', '--input', `load1=${retail}`, '--out', join(dir, 'default'));
    const b = insight('run', 'public/examples/online-retail-rfm.json', '--input', `load1=${retail}`, '--out', join(dir, 'duckdb'), '--engine', 'duckdb', '--memory-limit', '1GB', '--temp-dir', join(dir, 'spill'));
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('load1: ran in DuckDB');
    expect(b.stderr).toContain('features1: ran in DuckDB');
    expect(b.stderr).toContain('normalise1: ran in DuckDB');
    expect(b.stderr).toContain('weight1: ran in DuckDB');
    const files = readdirSync(join(dir, 'default')).sort();
    expect(readdirSync(join(dir, 'duckdb')).sort()).toEqual(files);
    expect(files).toContain('weight1.table.csv');
    for (const f of files) {
      const x = readFileSync(join(dir, 'default', f), 'utf8');
      const y = readFileSync(join(dir, 'duckdb', f), 'utf8');
      if (f.endsWith('.json')) expect(differences(JSON.parse(x), JSON.parse(y), TOL, f)).toEqual([]);
      else if (f.startsWith('features1') || f.startsWith('normalise1') || f.startsWith('weight1')) expect(csvDifferences(x, y), f).toEqual([]);
      else expect(y, f).toBe(x);
    }
  }, 1_200_000);

  it('customer-insight on the bundled sample: load reads the samples in DuckDB (its cleans, with chosen number columns and imputation, stay in the default engine), the sequence node (events and transactions, count-by) runs in the default engine on them materialised, features (category shares joined from products) runs in DuckDB, every output equals the default engine to 1e-9', async () => {
    const doc = upstreamOf(example('customer-insight.json'), ['weight', 'sequences_train']);
    const a = await runWith('default', doc);
    const b = await runWith('duckdb', doc);
    const engines = Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine]));
    expect(engines).toEqual({ transactions: 'duckdb', events: 'duckdb', customers: 'duckdb', products: 'duckdb', clean_tx: 'default', clean_events: 'default', clean_customers: 'default', features: 'duckdb', normalise: 'duckdb', weight: 'duckdb', sequences_train: 'default' });
    expect(b.covered.get('sequences_train')).toEqual({ engine: 'default', reason: 'a second activity table or a customers table is joined by the default engine' });
    expect(b.covered.get('clean_tx')).toEqual({ engine: 'default', reason: 'chosen number columns are parsed by the default engine' });
    for (const node of doc.nodes) {
      expect(b.statuses[node.id]?.state, node.id).toBe(a.statuses[node.id]?.state);
      expect(b.statuses[node.id]?.issues.map((i) => i.message), node.id).toEqual(a.statuses[node.id]?.issues.map((i) => i.message));
      expect(differences(a.outputs[node.id], b.outputs[node.id], TOL, node.id)).toEqual([]);
    }
  }, 300_000);

  it.skipIf(!haveRetail)(`keeps the exit codes: a bad option is 2, a node that fails is 1 as in the default engine${onRetail}`, () => {
    expect(insight('run', 'public/examples/online-retail-rfm.json', '--engine', 'spark').code).toBe(2);
    expect(insight('run', 'public/examples/online-retail-rfm.json', '--memory-limit', '4GB').code).toBe(2);
    const doc = JSON.parse(readFileSync(join(root, 'public', 'examples', 'online-retail-rfm.json'), 'utf8'));
    doc.nodes[4].params.weights = { recency_days: 0 };
    const path = join(dir, 'zero-weights.json');
    writeFileSync(path, JSON.stringify(doc));
    const a = insight('run', path, '--input', `load1=${retail}`);
    const b = insight('run', path, '--input', `load1=${retail}`, '--engine', 'duckdb');
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('weight1: ran in the default engine');
  }, 1_200_000);
});

describe('insight export --sql', () => {
  it.skipIf(!haveRetail)(`online-retail-rfm: the script reads the input file itself and, run in DuckDB, gives the same customers and figures as insight run${onRetail}`, async () => {
    const doc = example('online-retail-rfm.json');
    const a = await runWith('default', doc, {}, { files: { load1: retail } });
    const sqlPath = join(dir, 'rfm.sql');
    const r = insight('export', 'public/examples/online-retail-rfm.json', '--sql', sqlPath, '--input', `load1=${retail}`);
    expect(r.code).toBe(0);
    const script = readFileSync(sqlPath, 'utf8');
    expect(script).toContain('-- Covers 5 node(s): "load1", "clean1", "features1", "normalise1", "weight1".');
    expect(script).toContain(`--   "load1" <- ${JSON.stringify(retail)} (the pipeline's own input)`);
    const got = await runScript(script, ['features1.table', 'weight1.table']);
    expect(differences(a.outputs.features1?.table, got['features1.table'], TOL, 'features1')).toEqual([]);
    expect(differences(a.outputs.weight1?.table, got['weight1.table'], TOL, 'weight1')).toEqual([]);
  });
});
