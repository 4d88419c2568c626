/**
 * `npm run bench -- scale [--json] [--megabytes M | --gigabytes G | --file CSV] [--memory-limit SIZE] [--seed S] [--duckdb-only] [--progress]`
 *
 * The chain load → clean → features → normalise → weight (the data bench's document), plus a
 * sequence node on clean's table (monthly sums and means, horizon labels: its per-customer-period
 * aggregation is SQL under DuckDB, only the tensor is built in JS), on a
 * generated transactions file of about M megabytes (default 100; the data bench's seeded
 * generator) or on a given file, run by `insight run` with both engines in the same run, each
 * in a fresh child process (one after the other, default first): wall time, rows per second,
 * CPU time (user + system of the child, DuckDB's threads included: the machine is shared),
 * peak resident memory (VmHWM of the child, DuckDB included), the
 * exit code, each node's wall time (the CLI's status lines), and the ratio of the two times. The DuckDB side runs with --memory-limit
 * (default 4GB) and a spill folder beside the file; every node of the chain runs in DuckDB.
 * Both sides' weight1 tables are compared to 1e-9. The default engine reads CSV from bytes
 * (no one-string limit), but its chain peaks near DEFAULT_PEAK_PER_BYTE times the file in
 * memory; a file that would not fit this machine's memory so is run on the DuckDB side only,
 * without --out (which streams each table held in DuckDB to a file a batch at a time, but would
 * write every table of the chain as CSV, about twice the file); rows/s then counts the file's data lines.
 * --progress passes each side's status lines and its resident memory (every 30 s) on to stderr
 * as the run goes.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliNodeFlags } from '../../../bin/cli-build.mjs';
import { chainDocument, writeTransactions } from './data.ts';
import { report, type BenchOptions } from './report.ts';
import { ownPeakRss } from './peak-rss.ts';

/** The default engine's peak memory over the file's size, about, for this chain (7.1× measured on 72 MB, 2.9× on 1 GB in the CLI): files it would not fit run on DuckDB only. */
const DEFAULT_PEAK_PER_BYTE = 7;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const childFlag = '--scale-child';

function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

/**
 * Bytes per generated row of the data bench's generator, measured: 75.9 at 1,000,000 rows
 * (75,935,501 bytes) and 77.3 at 149,130,808 rows (invoice numbers grow longer). 72 made "10 GB"
 * an 11.0 GB file.
 */
const BYTES_PER_ROW = 77;

interface ChildResult {
  code: number;
  ms: number;
  cpuMs: number;
  maxRssBytes: number;
  /** Wall seconds per node, as the CLI reports them ("<node>: done in S s"). */
  nodes: Record<string, number>;
  /** The last lines the CLI wrote to stderr, when it exited other than 0. */
  error?: string;
}

/** The per-node wall seconds of the CLI's status lines. */
function nodeSeconds(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/^([A-Za-z0-9_-]+): (?:done|warning) in ([0-9.]+) s/gm)) if (m[1] !== undefined && m[2] !== undefined) out[m[1]] = Number(m[2]);
  return out;
}

/** In the child: runs the CLI's main with the given arguments; prints time, peak RSS and exit code. */
async function child(args: string[]): Promise<void> {
  const { main } = await import('../insight.ts');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const code = await main(args);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.stdout.write(`\n${JSON.stringify({ code, ms, cpuMs: (used.user + used.system) / 1000, maxRssBytes: ownPeakRss() })}\n`);
}

/** The resident and peak resident memory of a process so far (Linux /proc), in bytes; null elsewhere. */
function residentBytes(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Runs the CLI in a child process. With `progress`, the child's status lines are passed on to
 * this process's stderr as they come (prefixed by `side`), with its resident and peak memory
 * every 30 s, so that a run of an hour can be followed (and read when it is stopped).
 */
function inChild(args: string[], side: string, progress: boolean): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url);
  const started = performance.now();
  // Under the V8 flags bin/insight.mjs starts Node with, as `npx insight run` runs.
  const proc = spawn(process.execPath, [...process.execArgv, ...cliNodeFlags, self, childFlag, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  proc.stdout.setEncoding('utf8').on('data', (piece: string) => (stdout += piece));
  proc.stderr.setEncoding('utf8').on('data', (piece: string) => {
    stderr += piece;
    if (!progress) return;
    const lines = (partial + piece).split('\n');
    partial = lines.pop() ?? '';
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    for (const line of lines) process.stderr.write(`[${side} ${seconds} s] ${line}\n`);
  });
  const sampler = progress
    ? setInterval(() => {
        const memory = proc.pid === undefined ? null : residentBytes(proc.pid);
        const gb = (n: number) => (n / 1073741824).toFixed(2);
        if (memory) process.stderr.write(`[${side} ${((performance.now() - started) / 1000).toFixed(0)} s] resident ${gb(memory.rss)} GB, peak so far ${gb(memory.peak)} GB\n`);
      }, 30_000)
    : undefined;
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (status) => {
      clearInterval(sampler);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed: unknown = JSON.parse(last);
        if (typeof parsed === 'object' && parsed !== null && 'code' in parsed && 'ms' in parsed && 'cpuMs' in parsed && 'maxRssBytes' in parsed) {
          const { code, ms, cpuMs, maxRssBytes } = parsed;
          if (typeof code === 'number' && typeof ms === 'number' && typeof cpuMs === 'number' && typeof maxRssBytes === 'number') {
            resolve({ code, ms, cpuMs, maxRssBytes, nodes: nodeSeconds(stderr), ...(code === 0 ? {} : { error: stderr.trim().split('\n').slice(-5).join(' / ') }) });
            return;
          }
        }
      } catch {
        // falls through to the error below
      }
      reject(new Error(`the child run failed (status ${status}): ${stderr.split('\n').slice(-5).join(' ')}`));
    });
  });
}

/** Lines of a file, read in 16 MB pieces (never the whole file at once). */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 24);
  let lines = 0;
  try {
    for (let got = readSync(fd, buffer); got > 0; got = readSync(fd, buffer)) for (let i = buffer.indexOf(10); i >= 0 && i < got; i = buffer.indexOf(10, i + 1)) lines++;
  } finally {
    closeSync(fd);
  }
  return lines;
}

function csvNumbers(path: string): number[][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
}

/** Runs the suite (see the file header). */
export async function run(options: BenchOptions): Promise<void> {
  const given = flag(options.argv, '--file');
  const gigabytes = Number(flag(options.argv, '--gigabytes') ?? Number.NaN);
  const megabytes = Number.isFinite(gigabytes) ? gigabytes * 1024 : Number(flag(options.argv, '--megabytes') ?? 100);
  if (!(megabytes > 0)) throw new Error('--megabytes / --gigabytes must be positive');
  const memoryLimit = flag(options.argv, '--memory-limit') ?? '4GB';
  const seed = Number(flag(options.argv, '--seed') ?? 7);
  const dir = mkdtempSync(join(tmpdir(), 'insight-bench-scale-'));
  try {
    let rows = Math.floor((megabytes * 1048576) / BYTES_PER_ROW);
    const csv = given ?? join(dir, 'transactions.csv');
    if (given === undefined) writeTransactions(csv, rows, seed);
    else rows = countLines(given) - 1;
    const bytes = statSync(csv).size;
    const tooBig = bytes * DEFAULT_PEAK_PER_BYTE > totalmem();
    const duckOnly = options.argv.includes('--duckdb-only') || tooBig;
    const doc = chainDocument();
    const load = doc.nodes.find((n) => n.id === 'load1');
    if (load) load.params = { ...load.params, maxMegabytes: 4096 };
    doc.nodes.push({ id: 'sequence1', kind: 'sequence', version: 2, params: { idColumn: 'CustomerID', timeColumn: 'InvoiceDate', period: 'month', steps: 6, countRows: true, values: { Quantity: 'sum', UnitPrice: 'mean' }, cutoff: '2011-09-01', horizonEnd: '2011-11-30', labelSource: 'horizon', positiveColumn: 'Quantity' }, position: [5, 0], note: '' });
    doc.edges.push({ from: ['clean1', 'table'], to: ['sequence1', 'table'] });
    const pipeline = join(dir, 'chain.json');
    writeFileSync(pipeline, JSON.stringify(doc));
    const common = ['run', pipeline, '--input', `load1=${csv}`, '--workers', '0'];
    mkdirSync(join(dir, 'spill'));
    const progress = options.argv.includes('--progress');
    const base = duckOnly ? null : await inChild([...common, '--out', join(dir, 'default')], 'default', progress);
    const duck = await inChild([...common, ...(duckOnly ? [] : ['--out', join(dir, 'duckdb')]), '--engine', 'duckdb', '--memory-limit', memoryLimit, '--temp-dir', join(dir, 'spill')], 'duckdb', progress);
    let maxDiff = Number.NaN;
    if (base && base.code === 0 && duck.code === 0) {
      const a = csvNumbers(join(dir, 'default', 'weight1.table.csv'));
      const b = csvNumbers(join(dir, 'duckdb', 'weight1.table.csv'));
      maxDiff = a.length === b.length ? 0 : Infinity;
      a.forEach((row, i) => row.forEach((x, j) => {
        const y = b[i]?.[j] ?? Number.NaN;
        if (!(Number.isNaN(x) && Number.isNaN(y))) maxDiff = Math.max(maxDiff, Math.abs(x - y) || (x === y ? 0 : Infinity));
      }));
    }
    // The sequence node's files (its tensor, ids and labels), byte for byte.
    const sequenceFiles = base && base.code === 0 && duck.code === 0 ? readdirSync(join(dir, 'default')).filter((f) => f.startsWith('sequence1.')) : [];
    const sequencesIdentical = sequenceFiles.length > 0 && sequenceFiles.every((f) => readFileSync(join(dir, 'default', f)).equals(readFileSync(join(dir, 'duckdb', f))));
    const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
    const side = (name: string, r: ChildResult) => ({ [`${name}_exit`]: r.code, [`${name}_s`]: Math.round(r.ms) / 1000, [`${name}_cpu_s`]: Math.round(r.cpuMs) / 1000, [`${name}_rows_per_s`]: Math.round(rows / (r.ms / 1000)), [`${name}_peak_rss_mb`]: mb(r.maxRssBytes), [`${name}_node_s`]: r.nodes, ...(r.error === undefined ? {} : { [`${name}_error`]: r.error }) });
    report(
      {
        suite: 'scale',
        case: `${mb(bytes)} MB, ${rows} rows`,
        chain: 'load → clean → features → normalise → weight; clean → sequence',
        duckdb_nodes: 'load, clean, features, normalise, weight, sequence (aggregation; tensor in JS)',
        memory_limit: memoryLimit,
        ...(base ? side('default', base) : { default_side: `not run (${tooBig ? `the default engine’s chain peaks near ${DEFAULT_PEAK_PER_BYTE}× the file: ${mb(bytes * DEFAULT_PEAK_PER_BYTE)} MB, more than this machine’s ${mb(totalmem())} MB` : '--duckdb-only'})` }),
        ...side('duckdb', duck),
        ...(base ? { duckdb_over_default: Math.round((duck.ms / base.ms) * 1000) / 1000, duckdb_over_default_cpu: Math.round((duck.cpuMs / base.cpuMs) * 1000) / 1000 } : {}),
        weight_max_abs_diff: maxDiff,
        ...(base ? { sequence_files_identical: sequenceFiles.length === 0 ? 'none written' : sequencesIdentical } : {}),
        note: 'sequential child processes on a shared 2-core machine; times are noisy',
      },
      options.json,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === childFlag) await child(process.argv.slice(3));
