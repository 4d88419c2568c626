/**
 * `npm run bench -- features-sql [--json] [--customers N] [--repeat K] [--seed S]`
 *
 * The default project's features node (RFM, tenure, basket, distinct products and category
 * shares joined from the products table) on the sample-data generator's transactions for N
 * customers (default 20,000; clean data), run in this process by the default engine and by
 * --engine duckdb's registry (one DuckDB thread), alternating K times (default 3), each reading
 * both files with load. Reported from the same run: the features node's CPU time
 * (process.cpuUsage: every thread of this process, DuckDB's included) and wall time on each
 * engine, medians and ranges, their ratio, the 1-minute load average before and after, and
 * whether the two tables agree (numbers to 1e-9, text, ids and row order exactly).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeRegistry } from '../../../nodes/index.ts';
import type { PipelineDocument } from '../../engine/document.ts';
import type { AnyNodeSpec } from '../../engine/node.ts';
import { Engine } from '../../engine/runner.ts';
import { isTable } from '../../engine/port-codec.ts';
import { materialisedAll } from '../../sql/deferred.ts';
import { duckdbRegistry, type Coverage } from '../../sql/engine.ts';
import { SqlSession } from '../../sql/session.ts';
import { createNodeHost } from '../node-host.ts';
import { report, type BenchOptions } from './report.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function flag(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  const value = at >= 0 ? Number(argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function document(): PipelineDocument {
  const node = (id: string, kind: string, params: Record<string, unknown>): PipelineDocument['nodes'][number] => ({ id, kind, version: 1, params, position: [0, 0], note: '' });
  return {
    format: 'insight-pipeline', version: 1, name: 'features bench', description: '', seed: 42, notes: [],
    nodes: [
      node('transactions', 'load', {}),
      node('products', 'load', {}),
      node('features', 'features', { customer: 'customer_id', invoice: 'invoice_id', time: 'timestamp', quantity: 'quantity', price: 'unit_price', product: 'product_id', category: 'category', referenceDate: '2024-07-01' }),
    ],
    edges: [
      { from: ['transactions', 'table'], to: ['features', 'table'] },
      { from: ['products', 'table'], to: ['features', 'products'] },
    ],
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** One run of the document; the features node's CPU and wall time, its table (read into JS) and where it ran. */
async function once(engineKind: 'default' | 'duckdb', files: Record<string, string>): Promise<{ cpuMs: number; wallMs: number; table: unknown; coverage: Coverage | undefined }> {
  const session = engineKind === 'duckdb' ? await SqlSession.open({ threads: 1 }) : undefined;
  try {
    const covered = new Map<string, Coverage>();
    const base: Record<string, AnyNodeSpec> = session ? duckdbRegistry(nodeRegistry, session, covered, new Map(Object.entries(files))) : { ...nodeRegistry };
    let cpuMs = 0;
    let wallMs = 0;
    const features = base.features;
    if (!features) throw new Error('no features node kind');
    base.features = {
      ...features,
      async run(inputs, params, ctx) {
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        try {
          return await features.run(inputs, params, ctx);
        } finally {
          wallMs = performance.now() - t0;
          const d = process.cpuUsage(cpu);
          cpuMs = (d.user + d.system) / 1000;
        }
      },
    };
    const doc = document();
    const engine = new Engine({ registry: base, host: createNodeHost({ files }) });
    const result = await engine.run(doc);
    if (result.statuses.features?.state === 'error') throw new Error(result.statuses.features.issues.map((i) => i.message).join('; '));
    const outputs = engine.outputs(doc, 'features');
    const table = outputs ? (await materialisedAll(outputs)).table : undefined;
    return { cpuMs, wallMs, table, coverage: covered.get('features') };
  } finally {
    session?.close();
  }
}

/** Whether two tables are equal: the same columns in order, rows, text exactly and numbers to 1e-9. */
function agree(a: unknown, b: unknown): boolean {
  if (!isTable(a) || !isTable(b)) return false;
  if (a.columnNames().join('\0') !== b.columnNames().join('\0') || a.numRows() !== b.numRows()) return false;
  return a.columnNames().every((name) => {
    const x = a.array(name);
    const y = b.array(name);
    for (let i = 0; i < a.numRows(); i++) {
      const u = x[i];
      const v = y[i];
      if (typeof u === 'number' && typeof v === 'number') {
        if (Number.isNaN(u) !== Number.isNaN(v) || Math.abs(u - v) > 1e-9) return false;
      } else if (!Object.is(u, v)) return false;
    }
    return true;
  });
}

/** Runs the suite (see the file header). */
export async function run(options: BenchOptions): Promise<void> {
  const customers = flag(options.argv, '--customers', 20_000);
  const repeat = flag(options.argv, '--repeat', 3);
  const seed = flag(options.argv, '--seed', 7);
  const dir = mkdtempSync(join(tmpdir(), 'insight-bench-features-'));
  try {
    const gen = spawnSync(process.execPath, [join(root, 'bin', 'insight.mjs'), 'generate', '--customers', String(customers), '--seed', String(seed), '--out', dir, '--dirty', '0'], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generate failed: ${gen.stderr}`);
    const files = { transactions: join(dir, 'transactions.csv'), products: join(dir, 'products.csv') };
    const loadBefore = loadavg()[0] ?? 0;
    const sides = { default: { cpu: [] as number[], wall: [] as number[] }, duckdb: { cpu: [] as number[], wall: [] as number[] } };
    let equal = true;
    let where = '';
    for (let k = 0; k < repeat; k++) {
      const a = await once('default', files);
      const b = await once('duckdb', files);
      sides.default.cpu.push(a.cpuMs);
      sides.default.wall.push(a.wallMs);
      sides.duckdb.cpu.push(b.cpuMs);
      sides.duckdb.wall.push(b.wallMs);
      equal &&= agree(a.table, b.table);
      where = b.coverage?.engine === 'duckdb' ? 'duckdb' : `default (${b.coverage?.engine === 'default' ? b.coverage.reason : 'not run'})`;
    }
    const range = (xs: number[]): string => `${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}`;
    report({
      suite: 'features-sql',
      case: `${customers} customers, category shares joined from products, ${repeat} rounds`,
      duckdb_side_ran_in: where,
      default_cpu_ms: Math.round(median(sides.default.cpu)),
      default_cpu_range_ms: range(sides.default.cpu),
      duckdb_cpu_ms: Math.round(median(sides.duckdb.cpu)),
      duckdb_cpu_range_ms: range(sides.duckdb.cpu),
      duckdb_over_default_cpu: Math.round((median(sides.duckdb.cpu) / median(sides.default.cpu)) * 100) / 100,
      default_wall_ms: Math.round(median(sides.default.wall)),
      duckdb_wall_ms: Math.round(median(sides.duckdb.wall)),
      tables_equal: equal,
      load_1min_before: Math.round(loadBefore * 10) / 10,
      load_1min_after: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    }, options.json);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
