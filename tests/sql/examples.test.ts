/**
 * Issue #21's equivalence check over every example pipeline in public/examples: each example is
 * cut down to its SQL-capable nodes (src/sql/engine.ts's sqlKinds) and the nodes they read from,
 * run with the default engine and with --engine duckdb's registry, and every kept node must give
 * the same state, the same messages and the same outputs (numbers to 1e-9; text, ids, column
 * names and row order exactly). Examples whose input file lives in ../shared/data skip, saying
 * so, when it is absent (CI clones without it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { sqlPart } from '../../src/sql/export.ts';
import { differences, exampleInputs as inputs, runWith } from './compare.ts';

const TOL = 1e-9;
const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'public', 'examples');
const data = join(root, '..', 'shared', 'data');

/** The nodes each example runs in DuckDB today (the rest fall back, with the reason printed); fewer fails. */
const inDuckdb: Record<string, string[]> = {
  'customer-insight': ['transactions', 'events', 'customers', 'products', 'features', 'normalise', 'weight'],
  'groceries-recommend': ['load1'],
  'groceries-rules': ['rules1', 'rules2'],
  'online-retail-clv': ['load1', 'clean1', 'sequence1', 'before1', 'features1', 'normalise1'],
  'online-retail-cohorts': ['load1', 'cohorts1'],
  'online-retail-intent': ['load1', 'clean1', 'sequence1', 'before1', 'features1'],
  'online-retail-recommend': [],
  'online-retail-rfm': ['load1', 'clean1', 'features1', 'normalise1', 'weight1'],
  'online-shoppers': [],
  'telco-churn': ['load1', 'clean'],
};

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

describe('--engine duckdb over every example pipeline: the SQL-capable nodes equal the default engine', () => {
  it('every example has an input binding here', () => {
    expect(files.filter((f) => !Object.hasOwn(inputs, f))).toEqual([]);
  });

  for (const name of files) {
    const input = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
    const path = input ? join(data, input) : undefined;
    const absent = path !== undefined && !existsSync(path);
    it.skipIf(absent || input === undefined)(`${name}: same states, messages and outputs on both engines${absent ? ` (skipped: ${path} is absent)` : ''}`, { timeout: 600_000 }, async () => {
      const loaded = loadPipeline(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')), nodeRegistry);
      expect(loaded.problems).toEqual([]);
      if (!loaded.ok) throw new Error(`${name} does not load`);
      const doc = sqlPart(loaded.document);
      const host: { files: Record<string, string> } = { files: path ? { load1: path } : {} };
      const a = await runWith('default', doc, {}, host);
      const b = await runWith('duckdb', doc, {}, host);
      for (const n of doc.nodes) {
        expect(b.statuses[n.id]?.state, n.id).toBe(a.statuses[n.id]?.state);
        expect(b.statuses[n.id]?.issues.map((i) => i.message), n.id).toEqual(a.statuses[n.id]?.issues.map((i) => i.message));
        expect(differences(a.outputs[n.id], b.outputs[n.id], TOL, n.id)).toEqual([]);
      }
      const covered = Object.fromEntries([...b.covered].map(([id, c]) => [id, c.engine === 'duckdb' ? 'duckdb' : `default: ${c.reason}`]));
      // Printed so that a run shows which nodes the comparison exercised in DuckDB, and why the rest did not.
      console.log(`${name}: ${JSON.stringify(covered)}`);
      expect(Object.keys(covered).filter((id) => covered[id] === 'duckdb')).toEqual(expect.arrayContaining(inDuckdb[name] ?? []));
    });
  }
});
