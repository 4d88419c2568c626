/**
 * `npm run bench -- data [--json] [--rows N] [--repeat K] [--seed S] [--keep]`
 *
 * Writes a seeded transactions CSV of N rows (default 1,000,000; Online Retail's columns, with
 * cancellations, blank customers, free lines and duplicate lines) with its own generator
 * below — the sample-data generator would also write ~160 browsing events per customer,
 * which this suite does not need — and then, alternating K times (default 3):
 *   baseline  read the file, decode it and Arquero's bare `fromCSV` (autoType on);
 *   chain     read the file and run load → clean → features → normalise → weight through the
 *             Engine, exactly as the CLI would.
 * Reported side by side from the same run: median times (and, against DuckDB, the median CPU
 * time of each side with the machine's load average, since wall time on a shared machine
 * also counts waiting for a core), the chain ÷ fromCSV ratio (goal
 * ≤ 2), rows per second, the time of each node, and the peak resident memory of each measured
 * in a fresh child process (its own VmHWM, peak-rss.ts) as a multiple of the file size
 * (goal ≤ 3, issue #20) — raw, and above the peak of a child that only loads the same code (for
 * the chain: the node registry, the engine and the Node host, as `insight run` does for a
 * pipeline without an LSTM or Explain node — TensorFlow.js is not loaded; for fromCSV: nothing
 * but Node and tsx), so that the data's own share is visible. The chain and loaded children run
 * this file as `insight run` runs the CLI: JavaScript precompiled by bin/cli-build.mjs (esbuild,
 * cached; no tsx at run time), falling back to tsx if that build fails (the record says which);
 * the idle and fromCSV children run through tsx. The measured chain runs as
 * `insight run` does: each node's outputs are released once no later node reads them (the
 * CLI writes them first; this child does not write). A last record compares typing:
 * `fromCSV` with and without autoType against the load kernel alone (readTable).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PipelineDocument } from '../../engine/document.ts';
import { createRng } from '../../ml/random.ts';
import { compareFigures, duckdbChain, type ChainFigures } from './data-duckdb.ts';
import { ownPeakRss } from './peak-rss.ts';
import { report, type BenchOptions } from './report.ts';

// Arquero, the node registry and the engine are imported where used, so that each measuring
// child process loads only what its side needs (the chain side loads every node kind, as the
// CLI does).

const countries = ['United Kingdom', 'United Kingdom', 'United Kingdom', 'United Kingdom', 'Germany', 'France', 'EIRE', 'Spain', 'Netherlands', 'Belgium'];
const words = ['RED', 'WHITE', 'HEART', 'T-LIGHT', 'HOLDER', 'LANTERN', 'RETROSPOT', 'CAKE', 'CASES', 'BAG', 'JUMBO', 'VINTAGE', 'SET', 'MUG', 'BOX', 'PINK', 'GLASS', 'STAR'];

/** Writes a seeded Online-Retail-like transactions CSV of `rows` data rows to `path`. */
export function writeTransactions(path: string, rows: number, seed: number): void {
  const rng = createRng(seed);
  const products = Array.from({ length: 4000 }, (_, i) => {
    const a = words[rng.int(words.length)] ?? 'SET';
    const b = words[rng.int(words.length)] ?? 'BOX';
    // Some descriptions hold a comma, so they are quoted as in the real file.
    const name = rng.int(20) === 0 ? `"${a}, ${b} ${i}"` : `${a} ${b} ${i}`;
    return { code: String(20000 + i), name, price: (Math.floor(rng.next() * rng.next() * 2000) + 29) / 100 };
  });
  const fd = openSync(path, 'w');
  let buffer = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n';
  let written = 0;
  let invoice = 536000;
  let time = Date.UTC(2010, 11, 1, 8, 0, 0);
  const end = Date.UTC(2011, 11, 9, 18, 0, 0);
  const step = (end - time) / Math.max(1, rows / 10);
  while (written < rows) {
    invoice++;
    time += Math.floor(rng.next() * 2 * step);
    const stamp = new Date(time).toISOString().slice(0, 19).replace('T', ' ');
    const blank = rng.int(50) === 0;
    const customer = blank ? '' : `${12000 + rng.int(50_000)}.0`;
    const country = countries[rng.int(countries.length)] ?? 'United Kingdom';
    const cancelled = rng.int(50) === 0;
    const lines = 1 + rng.int(19);
    for (let k = 0; k < lines && written < rows; k++) {
      const p = products[rng.int(products.length)] ?? products[0]!;
      const quantity = (cancelled ? -1 : 1) * (1 + rng.int(24));
      const price = rng.int(200) === 0 ? '0.0' : p.price.toFixed(2);
      const line = `${cancelled ? 'C' : ''}${invoice},${p.code},${p.name},${quantity},${stamp},${price},${customer},${country}\n`;
      buffer += line;
      written++;
      // An exact duplicate line now and then, as in the real data.
      if (rng.int(200) === 0 && written < rows) {
        buffer += line;
        written++;
      }
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

/** The benchmarked pipeline: load → clean → features → normalise → weight. */
export function chainDocument(): PipelineDocument {
  const node = (id: string, kind: string, params: Record<string, unknown>, x: number): PipelineDocument['nodes'][number] => ({ id, kind, version: 1, params, position: [x, 0], note: '' });
  return {
    format: 'insight-pipeline',
    version: 1,
    name: 'data bench',
    description: '',
    seed: 42,
    nodes: [
      node('load1', 'load', { format: 'csv', maxMegabytes: 4096 }, 0),
      node('clean1', 'clean', {
        dropDuplicates: true,
        conditions: [
          { column: 'InvoiceNo', op: 'not-starts-with', value: 'C' },
          { column: 'Quantity', op: '>', value: 0 },
          { column: 'UnitPrice', op: '>', value: 0 },
          { column: 'CustomerID', op: 'not-missing', value: null },
        ],
      }, 1),
      node('features1', 'features', { customer: 'CustomerID', invoice: 'InvoiceNo', time: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', product: 'StockCode' }, 2),
      node('normalise1', 'normalise', { columns: ['recency_days', 'frequency', 'monetary'] }, 3),
      node('weight1', 'weight', { weights: { recency_days: -0.25, frequency: 0.35, monetary: 0.4 } }, 4),
    ],
    edges: [
      { from: ['load1', 'table'], to: ['clean1', 'table'] },
      { from: ['clean1', 'table'], to: ['features1', 'table'] },
      { from: ['features1', 'table'], to: ['normalise1', 'table'] },
      { from: ['normalise1', 'table'], to: ['weight1', 'table'] },
    ],
    notes: [],
  };
}

/** Bare Arquero: read, decode, fromCSV. Returns rows read. */
async function baseline(path: string, autoType = true): Promise<number> {
  const { fromCSV } = await import('arquero');
  const text = new TextDecoder().decode(readFileSync(path));
  return fromCSV(text, { autoType }).numRows();
}

/** The whole chain through the Engine; returns per-node times and the customers scored. */
async function chain(path: string): Promise<{ nodes: Record<string, number>; customers: number; ok: boolean; problems: string; figures: ChainFigures }> {
  const { nodeRegistry } = await import('../../../nodes/index.ts');
  const { Engine } = await import('../../engine/runner.ts');
  const { createNodeHost } = await import('../node-host.ts');
  const engine = new Engine({ registry: nodeRegistry, host: createNodeHost({ files: { load1: path } }) });
  const doc = chainDocument();
  // As insight run does: every output is released once no later node reads it (weight1's kept here).
  let scored: unknown;
  const result = await engine.run(doc, {
    release: true,
    onOutputs: (id, outputs) => {
      if (id === 'weight1') scored = outputs.table;
    },
  });
  const nodes: Record<string, number> = {};
  for (const [id, status] of Object.entries(result.statuses)) nodes[id] = status.durationMs ?? Number.NaN;
  const customers = scored !== null && typeof scored === 'object' && 'numRows' in scored && typeof scored.numRows === 'function' ? Number(scored.numRows()) : 0;
  const figures: ChainFigures = new Map();
  const array: unknown = scored !== null && typeof scored === 'object' ? Reflect.get(scored, 'array') : undefined;
  if (typeof array === 'function') {
    const column = (name: string): number[] => {
      const values: unknown = Reflect.apply(array, scored, [name]);
      if (Array.isArray(values)) return values.map(Number);
      if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array) return Array.from(values);
      return [];
    };
    const [id, r, f, m, s] = ['CustomerID', 'recency_days', 'frequency', 'monetary', 'score'].map(column);
    id?.forEach((c, i) => figures.set(c, [r?.[i] ?? Number.NaN, f?.[i] ?? Number.NaN, m?.[i] ?? Number.NaN, s?.[i] ?? Number.NaN]));
  }
  const problems = Object.values(result.statuses)
    .flatMap((s) => s.issues)
    .filter((i) => i.severity === 'error')
    .map((i) => i.message)
    .join('; ');
  return { nodes, customers, ok: result.ok, problems, figures };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const childFlag = '--data-bench-child';

/**
 * How the chain and loaded children run this file: as `insight run` runs the CLI, precompiled
 * JavaScript from bin/cli-build.mjs's cache (no tsx), or through tsx when INSIGHT_CLI_TSX=1 asks
 * for it (the before/after of the build) or the build fails.
 */
type ChildCode = { urls: Record<string, string> } | { failed: string };

async function buildSelf(): Promise<ChildCode & { flags: readonly string[] }> {
  const { precompiledEntries, cliNodeFlags } = await import('../../../bin/cli-build.mjs');
  return { ...(await precompiledEntries(fileURLToPath(new URL('../../../', import.meta.url)), { 'data-bench': 'src/cli/bench/data.ts' })), flags: cliNodeFlags };
}

/**
 * Runs one measurement in a fresh Node process and returns its wall time and peak RSS. With
 * `code` the child runs as `insight` runs: precompiled, under the V8 flags bin/insight.mjs
 * starts Node with (`cliNodeFlags`), unless `nodeDefaults` asks for Node's own (as
 * `node bin/insight.mjs` runs).
 */
function inChild(mode: 'baseline' | 'chain' | 'idle' | 'loaded', path: string, code?: ChildCode & { flags: readonly string[] }, nodeDefaults = false): { ms: number; maxRssBytes: number } {
  const self = fileURLToPath(import.meta.url);
  const built = code && 'urls' in code ? code.urls['data-bench'] : undefined;
  const flags = code && !nodeDefaults ? code.flags : [];
  const command = built !== undefined ? [...flags, fileURLToPath(built)] : [...process.execArgv, ...flags, self];
  const out = spawnSync(process.execPath, [...command, childFlag, mode, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed !== null && typeof parsed === 'object' && 'ms' in parsed && 'maxRssBytes' in parsed && typeof parsed.ms === 'number' && typeof parsed.maxRssBytes === 'number') {
      return { ms: parsed.ms, maxRssBytes: parsed.maxRssBytes };
    }
  } catch {
    // Fall through to the error below with the child's output.
  }
  throw new Error(`data bench child (${mode}) failed: ${out.stderr.slice(-2000)}${line}`);
}

async function childMain(mode: string, path: string): Promise<void> {
  const started = performance.now();
  if (mode === 'baseline') await baseline(path);
  else if (mode === 'loaded') {
    // Everything the chain child loads, without running it: the code's own share of the peak.
    await import('../../../nodes/index.ts');
    await import('../../engine/runner.ts');
    await import('../node-host.ts');
  } else if (mode === 'chain') {
    const result = await chain(path);
    if (!result.ok) throw new Error(result.problems);
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, maxRssBytes: ownPeakRss() })}\n`);
}

function flag(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  const value = at >= 0 ? Number(argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Runs the suite (see the file header). */
export async function run(options: BenchOptions): Promise<void> {
  const rows = Math.floor(flag(options.argv, '--rows', 1_000_000));
  const repeat = Math.floor(flag(options.argv, '--repeat', 3));
  const seed = Math.floor(flag(options.argv, '--seed', 7));
  // Kept files have a fixed name (scripts/chain-memory.ts reads it); others carry the pid, so
  // that two runs at once never delete or rewrite each other's file mid-read.
  const keep = options.argv.includes('--keep');
  const path = join(tmpdir(), keep ? `insight-bench-data-${rows}-${seed}.csv` : `insight-bench-data-${rows}-${seed}-${process.pid}.csv`);
  const generateStart = performance.now();
  writeTransactions(path, rows, seed);
  const generateMs = performance.now() - generateStart;
  const bytes = statSync(path).size;
  try {
    const baseTimes: number[] = [];
    const chainTimes: number[] = [];
    const nodeTimes: Record<string, number[]> = {};
    let customers = 0;
    const duckTimes: number[] = [];
    // CPU time of this process (every thread: the chain's, V8's helpers, DuckDB's one worker)
    // around each side: on a loaded machine wall time also counts waiting for a core.
    const chainCpu: number[] = [];
    const duckCpu: number[] = [];
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    const loadBefore = loadavg()[0] ?? Number.NaN;
    let duckVersion = '';
    let duckNote = '';
    let agreement: ReturnType<typeof compareFigures> | null = null;
    // Each timed side starts after a full collection, so that none pays for the garbage the side
    // before it left (fromCSV's ~900 MB heap would otherwise be collected inside the chain's time).
    const { fullCollection } = await import('../collect.ts');
    const settle = fullCollection() ?? (() => undefined);
    for (let k = 0; k < repeat; k++) {
      // Alternate so that load on this shared machine affects both alike.
      settle();
      let t = performance.now();
      const read = await baseline(path);
      baseTimes.push(performance.now() - t);
      if (read !== rows) throw new Error(`fromCSV read ${read} rows, expected ${rows}`);
      settle();
      t = performance.now();
      let cpu = process.cpuUsage();
      const result = await chain(path);
      chainTimes.push(performance.now() - t);
      chainCpu.push(cpuMs(cpu));
      if (!result.ok) throw new Error(`the chain failed: ${result.problems}`);
      customers = result.customers;
      for (const [id, ms] of Object.entries(result.nodes)) (nodeTimes[id] ??= []).push(ms);
      // The DuckDB peer on the same file, one thread, alternating with the chain.
      if (duckNote === '') {
        try {
          settle();
          cpu = process.cpuUsage();
          const duck = await duckdbChain(path, 1);
          duckCpu.push(cpuMs(cpu));
          duckTimes.push(duck.ms);
          duckVersion = duck.version;
          agreement = compareFigures(result.figures, duck.figures);
        } catch (err) {
          duckNote = `DuckDB peer skipped: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
    }
    const base = median(baseTimes);
    const full = median(chainTimes);
    const how = await buildSelf();
    const idle = inChild('idle', path);
    const loaded = inChild('loaded', path, how);
    const baseChild = inChild('baseline', path);
    const chainChild = inChild('chain', path, how);
    const defaultsChild = inChild('chain', path, how, true);
    const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
    report(
      {
        suite: 'data',
        case: `${rows} rows`,
        generator: 'own seeded generator in src/cli/bench/data.ts',
        file_mb: mb(bytes),
        generate_ms: Math.round(generateMs),
        repeats: repeat,
        fromcsv_ms: Math.round(base),
        chain_ms: Math.round(full),
        chain_over_fromcsv: Math.round((full / base) * 100) / 100,
        goal_chain_over_fromcsv: 2,
        chain_rows_per_s: Math.round(rows / (full / 1000)),
        fromcsv_rows_per_s: Math.round(rows / (base / 1000)),
        customers_scored: customers,
        chain_peak_rss_mb: mb(chainChild.maxRssBytes),
        chain_peak_rss_over_file: Math.round((chainChild.maxRssBytes / bytes) * 100) / 100,
        chain_node_flags: how.flags.join(' '),
        chain_node_defaults_peak_rss_mb: mb(defaultsChild.maxRssBytes),
        chain_node_defaults_peak_rss_over_file: Math.round((defaultsChild.maxRssBytes / bytes) * 100) / 100,
        fromcsv_peak_rss_mb: mb(baseChild.maxRssBytes),
        fromcsv_peak_rss_over_file: Math.round((baseChild.maxRssBytes / bytes) * 100) / 100,
        idle_node_peak_rss_mb: mb(idle.maxRssBytes),
        loaded_node_peak_rss_mb: mb(loaded.maxRssBytes),
        chain_peak_above_loaded_over_file: Math.round(((chainChild.maxRssBytes - loaded.maxRssBytes) / bytes) * 100) / 100,
        fromcsv_peak_above_idle_over_file: Math.round(((baseChild.maxRssBytes - idle.maxRssBytes) / bytes) * 100) / 100,
        goal_peak_rss_over_file: 3,
        loaded_baseline_holds: `Node, the node registry (no TensorFlow.js), the engine and the Node host${'urls' in how ? ', precompiled as insight run runs them (no tsx)' : ', through tsx'}`,
        chain_and_loaded_children_run: 'urls' in how ? 'precompiled JavaScript (bin/cli-build.mjs), as insight run' : `tsx (no precompiled build: ${how.failed})`,
        idle_and_fromcsv_children_run: 'tsx',
        child_chain_ms: Math.round(chainChild.ms),
        child_fromcsv_ms: Math.round(baseChild.ms),
      },
      options.json,
    );
    const duckMs = duckTimes.length > 0 ? median(duckTimes) : Number.NaN;
    const chainCpuMs = median(chainCpu);
    const duckCpuMs = duckCpu.length > 0 ? median(duckCpu) : Number.NaN;
    report(
      duckNote !== ''
        ? { suite: 'data', case: `${rows} rows, peer duckdb 1 thread`, skipped: true, note: duckNote }
        : {
            suite: 'data',
            case: `${rows} rows, peer duckdb 1 thread`,
            duckdb_version: duckVersion,
            duckdb_1_thread_ms: Math.round(duckMs),
            chain_ms: Math.round(full),
            chain_over_duckdb: Math.round((full / duckMs) * 100) / 100,
            goal_chain_over_duckdb: 2,
            chain_cpu_ms: Math.round(chainCpuMs),
            duckdb_1_thread_cpu_ms: Math.round(duckCpuMs),
            chain_over_duckdb_cpu: Math.round((chainCpuMs / duckCpuMs) * 100) / 100,
            load_average_1min_before_after: `${loadBefore.toFixed(1)} / ${(loadavg()[0] ?? Number.NaN).toFixed(1)}`,
            cores: availableParallelism(),
            customers_ours: customers,
            customers_only_ours: agreement?.onlyOurs ?? null,
            customers_only_duckdb: agreement?.onlyTheirs ?? null,
            max_abs_diff_recency_frequency_monetary_score: agreement?.maxAbsDiff ?? null,
            figures_equal_to_1e9: agreement !== null && agreement.onlyOurs === 0 && agreement.onlyTheirs === 0 && agreement.maxAbsDiff <= 1e-9,
          },
      options.json,
    );
    report(
      {
        suite: 'data',
        case: `${rows} rows, per node (median ms)`,
        ...Object.fromEntries(Object.entries(nodeTimes).map(([id, ms]) => [id, Math.round(median(ms))])),
      },
      options.json,
    );
    // Typing: Arquero's autoType (first 1,000 values) vs ours (every cell), on the same text.
    const noAuto: number[] = [];
    const auto: number[] = [];
    const ours: number[] = [];
    const fileBytes = new Uint8Array(readFileSync(path));
    const { readTable } = await import('../../data/read.ts');
    for (let k = 0; k < repeat; k++) {
      let t = performance.now();
      await baseline(path, false);
      noAuto.push(performance.now() - t);
      t = performance.now();
      await baseline(path, true);
      auto.push(performance.now() - t);
      t = performance.now();
      await readTable({ name: 'bench.csv', bytes: fileBytes }, { maxBytes: Number.MAX_SAFE_INTEGER });
      ours.push(performance.now() - t);
    }
    report(
      {
        suite: 'data',
        case: `${rows} rows, typing`,
        fromcsv_autotype_ms: Math.round(median(auto)),
        fromcsv_no_autotype_ms: Math.round(median(noAuto)),
        load_kernel_ms: Math.round(median(ours)),
        load_kernel_over_fromcsv: Math.round((median(ours) / median(auto)) * 100) / 100,
      },
      options.json,
    );
  } finally {
    if (!keep && existsSync(path)) unlinkSync(path);
  }
}

if (process.argv[2] === childFlag) {
  const mode = process.argv[3] ?? '';
  const path = process.argv[4] ?? '';
  childMain(mode, path).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
