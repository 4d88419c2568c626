/**
 * Helpers of the DuckDB equivalence tests: run a pipeline with the default engine and with
 * --engine duckdb's registry, and compare tables (numbers to a tolerance, text exactly, column
 * names and row order exactly) and JSON outputs (numbers to the tolerance).
 */
import type { ColumnTable } from 'arquero';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost, type NodeHostOptions } from '../../src/cli/node-host.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { Engine, type NodeStatus } from '../../src/engine/runner.ts';
import { duckdbRegistry, type Coverage } from '../../src/sql/engine.ts';
import { materialisedAll } from '../../src/sql/deferred.ts';
import { SqlSession } from '../../src/sql/session.ts';

/** A run's statuses and outputs per node. */
export interface RunResult {
  statuses: Record<string, NodeStatus | undefined>;
  outputs: Record<string, Record<string, unknown> | undefined>;
  covered: Map<string, Coverage>;
}

/** Runs `doc` with the default engine or with DuckDB; extra kinds (feeds) are added to the registry. */
export async function runWith(engineKind: 'default' | 'duckdb', doc: PipelineDocument, extra: Record<string, AnyNodeSpec> = {}, host: NodeHostOptions = {}): Promise<RunResult> {
  const base: Record<string, AnyNodeSpec> = { ...nodeRegistry, ...extra };
  const covered = new Map<string, Coverage>();
  const session = engineKind === 'duckdb' ? await SqlSession.open({ threads: 1 }) : undefined;
  try {
    const registry = session ? duckdbRegistry(base, session, covered, new Map(Object.entries(host.files ?? {}))) : base;
    const engine = new Engine({ registry, host: createNodeHost(host) });
    const report = await engine.run(doc);
    const outputs: RunResult['outputs'] = {};
    // Tables held in DuckDB are read into JS before the database closes.
    for (const node of doc.nodes) {
      const values = engine.outputs(doc, node.id);
      outputs[node.id] = values && (await materialisedAll(values));
    }
    return { statuses: report.statuses, outputs, covered };
  } finally {
    session?.close();
  }
}

/** Differences between two values (tables compared cell by cell), as readable lines; [] when equal. */
export function differences(a: unknown, b: unknown, tolerance: number, path = ''): string[] {
  if (isTable(a) || isTable(b)) {
    if (!isTable(a) || !isTable(b)) return [`${path}: one is not a table`];
    return tableDifferences(a, b, tolerance, path);
  }
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b, tolerance) ? [] : [`${path}: ${a} vs ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((v, i) => differences(v, b[i], tolerance, `${path}[${i}]`));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join('\u0000') !== kb.join('\u0000')) return [`${path}: keys ${ka.join(',')} vs ${kb.join(',')}`];
    return ka.flatMap((k) => differences(Reflect.get(a, k), Reflect.get(b, k), tolerance, `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
}

function numbersEqual(a: number, b: number, tolerance: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= tolerance;
}

function cell(v: unknown): unknown {
  if (v instanceof Date) return `date:${v.getTime()}`;
  return v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
}

function tableDifferences(a: ColumnTable, b: ColumnTable, tolerance: number, path: string): string[] {
  const out: string[] = [];
  if (a.columnNames().join('\u0000') !== b.columnNames().join('\u0000')) return [`${path}: columns ${a.columnNames().join(',')} vs ${b.columnNames().join(',')}`];
  if (a.numRows() !== b.numRows()) return [`${path}: ${a.numRows()} vs ${b.numRows()} rows`];
  for (const name of a.columnNames()) {
    const x = a.array(name);
    const y = b.array(name);
    for (let i = 0; i < a.numRows(); i++) {
      const u = cell(x[i]);
      const v = cell(y[i]);
      const same = typeof u === 'number' && typeof v === 'number' ? numbersEqual(u, v, tolerance) : Object.is(u, v);
      if (!same) out.push(`${path}.${name}[${i}]: ${String(u)} vs ${String(v)}`);
      if (out.length > 5) return out;
    }
  }
  return out;
}

/** The file each example's load1 reads (as scripts/compare-examples.sh binds them); null: bundled samples only. */
export const exampleInputs: Record<string, string | null> = {
  'customer-insight': null,
  'groceries-recommend': 'groceries/groceries_long.csv',
  'groceries-rules': 'groceries/groceries.csv',
  'online-retail-clv': 'online-retail/online_retail_sample.csv',
  'online-retail-cohorts': 'online-retail/online_retail_sample.csv',
  'online-retail-intent': 'online-retail/online_retail_sample.csv',
  'online-retail-recommend': 'online-retail/online_retail_sample.csv',
  'online-retail-rfm': 'online-retail/online_retail_sample.csv',
  'online-shoppers': 'online-shoppers/online_shoppers_intention.csv',
  'telco-churn': 'telco-churn/Telco-Customer-Churn.csv',
};
