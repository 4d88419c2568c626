/**
 * The `insight` command (Node): run, validate and generate pipelines and data.
 *   insight run <pipeline.json> [--input NODE_ID=FILE]... [--out DIR] [--seed N] [--backend wasm|cpu] [--workers N]
 *   insight run … --engine duckdb [--memory-limit 4GB] [--temp-dir DIR]   (SQL-capable nodes in DuckDB)
 *   insight export <pipeline.json> --sql FILE [--input NODE_ID=FILE]... [--input NODE_ID.PORT=CSV]... [--out DIR]   (the data steps as DuckDB SQL)
 *   insight validate <pipeline.json>
 *   insight generate --customers N --seed S --out DIR [--weeks W] [--dirty RATE]
 *   insight auto <file> --out DIR [--label COLUMN] [--id COLUMN] [--delimiter X] [--encoding E]
 * Exit 0 on success; 2 with one line naming the problem on a bad document or input file;
 * 1 when a node fails while running.
 */
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { nodeRegistry } from '../../nodes/index.ts';
import type { PipelineDocument } from '../engine/document.ts';
import { formatValue, InsightError, type InsightIssue } from '../engine/errors.ts';
import { isTable, portFile, tableCsvPieces } from '../engine/port-codec.ts';
import { Engine } from '../engine/runner.ts';
import { loadPipeline } from '../engine/validate.ts';
import { createNodeHost, notRegularFile } from './node-host.ts';

const usage = `Usage:
  insight run <pipeline.json> [--input NODE_ID=FILE]... [--out DIR] [--seed N] [--backend wasm|cpu] [--workers N]
             (--workers: worker threads beside this one for parallel work such as LSTM folds; default cores − 1, 0 = none)
             [--engine default|duckdb] [--memory-limit SIZE] [--temp-dir DIR]
             (--engine duckdb: load (CSV), clean, anonymise, features, normalise, typed weight, the sequence and
              cohort aggregations and the basket counting of rules run as SQL in one DuckDB database; the rest as usual)
  insight export <pipeline.json> --sql FILE [--input NODE_ID=FILE]... [--input NODE_ID.PORT=CSV]... [--out DIR]
             (the nodes --engine duckdb runs in SQL, as one DuckDB script reading the pipeline's input files;
              --out DIR: the script COPYs its tables to DIR/<node>.<port>.csv and reads remaining nodes' tables there)
  insight validate <pipeline.json>
  insight generate --customers N --seed S --out DIR [--weeks W] [--dirty RATE]
  insight auto <file> --out DIR [--label COLUMN] [--id COLUMN] [--delimiter X] [--encoding E]`;

/** The largest pipeline file read (documents are a few kB; the share link caps them far lower). */
const pipelineMaxBytes = 16 * 1048576;

/** Thrown for command-line mistakes; printed as one line with exit code 2. */
export class UsageError extends Error {}

/** The value after option `args[at]`, or a UsageError naming the option when there is none. */
export function optionValue(args: readonly string[], at: number): string {
  const value = args[at + 1];
  if (value === undefined) throw new UsageError(`Option ${args[at] ?? ''} needs a value.`);
  return value;
}

/** Entry point; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'validate':
        return validateCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case 'auto': {
        const { autoCommand } = await import('./auto.ts');
        return await autoCommand(rest);
      }
      case 'generate': {
        const { generateCommand } = await import('./generate.ts');
        return await generateCommand(rest);
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${usage}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command)}. ${usage.split('\n')[0]}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof InsightError) {
      process.stderr.write(`insight: ${oneLine(err.message)}\n`);
      return 2;
    }
    process.stderr.write(`insight: unexpected failure: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

/** A message as one line that, after "insight: ", is at most 300 characters (control characters shown as spaces). */
function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > 291 ? `${flat.slice(0, 288)}...` : flat;
}

/** Refuses a path that is missing, not a regular file (a device or FIFO would never end), or unreadable, before anything reads it. */
function checkInputPath(what: string, path: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : '';
    const why = code === 'ELOOP' ? 'its symbolic links form a loop' : code === 'EACCES' ? 'permission denied' : code === 'ENAMETOOLONG' ? 'the path is too long' : code === 'ENOTDIR' ? 'a part of the path is not a folder' : 'the file does not exist';
    throw new UsageError(`${what}: ${why}.`);
  }
  const kind = notRegularFile(stat);
  if (kind !== null) throw new UsageError(`${what}: ${formatValue(path)} is ${kind}, not a regular file.`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`${what}: permission denied.`);
  }
}

/** Reads and validates a pipeline file; returns the document or prints problems. */
function readPipeline(path: string | undefined): { document: PipelineDocument } | { problems: InsightIssue[] } {
  if (path === undefined) throw new UsageError('Missing the pipeline file argument.');
  if (!existsSync(path)) throw new UsageError(`Pipeline file ${JSON.stringify(path)} does not exist.`);
  checkInputPath(`Pipeline file ${formatValue(path)}`, path);
  // A pipeline is a small document; a huge one is refused before it is read.
  const size = statSync(path).size;
  if (size > pipelineMaxBytes) throw new UsageError(`Pipeline file ${formatValue(path)} is ${(size / 1048576).toFixed(1)} MB; a pipeline document is at most ${pipelineMaxBytes / 1048576} MB.`);
  let parsed: unknown;
  try {
    // Editors on Windows start UTF-8 files with a byte-order mark; it is not part of the JSON.
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${path}: malformed JSON (${reason.length > 120 ? `${reason.slice(0, 117)}...` : reason}).`);
  }
  const result = loadPipeline(parsed, nodeRegistry);
  if (!result.ok) return { problems: result.problems };
  return { document: result.document };
}

function printProblems(path: string, problems: InsightIssue[]): void {
  // The first line names the first problem; the rest follow so a person can fix them all.
  for (const problem of problems) process.stderr.write(`insight: ${oneLine(`${path}: ${problem.message}`)}\n`);
}

function validateCommand(args: string[]): number {
  const path = args.find((a) => !a.startsWith('--'));
  const read = readPipeline(path);
  if ('problems' in read) {
    printProblems(path ?? '', read.problems);
    return 2;
  }
  const doc = read.document;
  process.stdout.write(`${path}: valid pipeline "${doc.name}" (${doc.nodes.length} nodes, ${doc.edges.length} edges, seed ${doc.seed}).\n`);
  return 0;
}

interface RunArgs {
  pipeline: string | undefined;
  inputs: Map<string, string>;
  out: string | undefined;
  seed: number | undefined;
  backend: string;
  workers: number | undefined;
  engine: 'default' | 'duckdb';
  memoryLimit: string | undefined;
  tempDir: string | undefined;
}

function parseRunArgs(args: string[]): RunArgs {
  const parsed: RunArgs = { pipeline: undefined, inputs: new Map(), out: undefined, seed: undefined, backend: 'wasm', workers: undefined, engine: 'default', memoryLimit: undefined, tempDir: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = (): string => optionValue(args, i++);
    if (arg === '--input') {
      const spec = next();
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new UsageError(`--input expects NODE_ID=FILE, got ${formatValue(spec)}.`);
      parsed.inputs.set(spec.slice(0, eq), spec.slice(eq + 1));
    } else if (arg === '--out') parsed.out = next();
    else if (arg === '--seed') {
      const value = next();
      const seed = Number(value);
      if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new UsageError(`--seed expects a whole number from 0 to 4294967295, got ${formatValue(value)}.`);
      parsed.seed = seed;
    } else if (arg === '--backend') {
      const value = next();
      if (value !== 'wasm' && value !== 'cpu') throw new UsageError(`--backend expects wasm or cpu, got ${formatValue(value)}.`);
      parsed.backend = value;
    } else if (arg === '--workers') {
      const value = next();
      const workers = Number(value);
      if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new UsageError(`--workers expects a whole number from 0 to 256, got ${formatValue(value)}.`);
      parsed.workers = workers;
    } else if (arg === '--engine') {
      const value = next();
      if (value !== 'default' && value !== 'duckdb') throw new UsageError(`--engine expects default or duckdb, got ${formatValue(value)}.`);
      parsed.engine = value;
    } else if (arg === '--memory-limit') {
      const value = next();
      if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) throw new UsageError(`--memory-limit expects a size such as 4GB, got ${formatValue(value)}.`);
      parsed.memoryLimit = value;
    } else if (arg === '--temp-dir') parsed.tempDir = next();
    else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}.`);
    else if (parsed.pipeline === undefined) parsed.pipeline = arg;
    else throw new UsageError(`Unexpected argument ${formatValue(arg)}.`);
  }
  return parsed;
}

async function runCommand(args: string[]): Promise<number> {
  const options = parseRunArgs(args);
  const read = readPipeline(options.pipeline);
  if ('problems' in read) {
    printProblems(options.pipeline ?? '', read.problems);
    return 2;
  }
  let doc = read.document;
  if (options.seed !== undefined) doc = { ...doc, seed: options.seed };
  for (const [nodeId, file] of options.inputs) {
    const node = doc.nodes.find((n) => n.id === nodeId);
    if (!node) throw new UsageError(`--input names node ${formatValue(nodeId)}, which is not in the pipeline (nodes: ${doc.nodes.map((n) => n.id).join(', ')}).`);
    checkInputPath(`--input ${nodeId}=${file.length > 120 ? `${file.slice(0, 117)}...` : file}`, file);
  }
  return runDocument(doc, Object.fromEntries(options.inputs), options.out, options.backend, options.pipeline ?? '', options.workers, options);
}

/** Writes text pieces to a file one after another (a table's CSV can be longer than a string may be). */
function writePieces(path: string, pieces: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** Runs a validated document with files bound to nodes; writes every output to `out`; returns the exit code. */
export async function runDocument(doc: PipelineDocument, inputs: Record<string, string>, out: string | undefined, backendName: string, label: string, workers?: number, sqlOptions?: SqlRunOptions): Promise<number> {
  // TensorFlow.js (about 70 MB resident in Node) loads only for a pipeline with a node that runs it.
  const tensors = doc.nodes.some((n) => Object.hasOwn(nodeRegistry, n.kind) && nodeRegistry[n.kind]?.tensors === true);
  const { createNodePool } = await import('./node-pool.ts');
  const pool = createNodePool(workers === undefined ? {} : { workers });
  // Workers take a second or more to start: with a parallel node ahead, start them now, beside
  // loading TensorFlow.js here and the nodes before it (Engine.run would start them only after).
  if (doc.nodes.some((n) => Object.hasOwn(nodeRegistry, n.kind) && nodeRegistry[n.kind]?.parallel === true)) pool.warm();
  let sql: Awaited<ReturnType<typeof openSql>> | undefined;
  try {
    const backend = tensors ? await initBackend(backendName) : await checkBackendName(backendName);
    if (sqlOptions && sqlOptions.engine !== 'duckdb' && (sqlOptions.memoryLimit !== undefined || sqlOptions.tempDir !== undefined)) throw new UsageError('--memory-limit and --temp-dir apply to --engine duckdb.');
    sql = sqlOptions?.engine === 'duckdb' ? await openSql(sqlOptions, inputs) : undefined;
    const engine = new Engine({ registry: sql ? sql.registry : nodeRegistry, host: createNodeHost({ files: inputs, backend: () => backend, pool }) });
    return await runWith(engine, doc, out, label, sql);
  } finally {
    sql?.session.close();
    // Idle workers are unref'd, but a run ends here: stop them so nothing keeps the process alive.
    pool.close();
  }
}

/** Which engine runs the SQL-capable nodes, and DuckDB's limits (insight run --engine duckdb). */
export interface SqlRunOptions {
  engine: 'default' | 'duckdb';
  memoryLimit: string | undefined;
  tempDir: string | undefined;
}

async function openSql(options: SqlRunOptions, inputs: Record<string, string>): Promise<{ session: import('../sql/session.ts').SqlSession; registry: typeof nodeRegistry; covered: Map<string, import('../sql/engine.ts').Coverage> }> {
  const { SqlSession } = await import('../sql/session.ts');
  const { duckdbRegistry } = await import('../sql/engine.ts');
  const session = await SqlSession.open({ ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}), ...(options.tempDir !== undefined ? { tempDir: options.tempDir } : {}) });
  const covered = new Map<string, import('../sql/engine.ts').Coverage>();
  return { session, registry: duckdbRegistry(nodeRegistry, session, covered, new Map(Object.entries(inputs))), covered };
}

/** Writes a table held in DuckDB (--engine duckdb) to a CSV file a batch of rows at a time, with the default engine's writer (the same bytes as the whole table's). */
async function writeHeldTable(path: string, session: import('../sql/session.ts').SqlSession, relation: import('../sql/relation.ts').SqlRelation): Promise<void> {
  const fd = openSync(path, 'w');
  try {
    let first = true;
    for await (const batch of session.readBatches(relation)) {
      for (const text of tableCsvPieces(batch, undefined, first)) writeSync(fd, text);
      first = false;
    }
  } finally {
    closeSync(fd);
  }
}

async function runWith(engine: Engine, doc: PipelineDocument, out: string | undefined, label: string, sql: { session: import('../sql/session.ts').SqlSession; covered: Map<string, import('../sql/engine.ts').Coverage> } | undefined): Promise<number> {
  let lastLine = '';
  const covered = sql?.covered;
  const write = async (nodeId: string, outputs: Record<string, unknown>): Promise<void> => {
    if (out === undefined) return;
    for (const [port, value] of Object.entries(outputs)) {
      // A table held in DuckDB (--engine duckdb) and not read into JS is streamed out of it; one read already is written like any other.
      if (sql) {
        const { isDeferred } = await import('../sql/deferred.ts');
        if (isDeferred(value) && value.relation && !value.isRead()) {
          await writeHeldTable(join(out, `${nodeId}.${port}.csv`), sql.session, value.relation);
          continue;
        }
      }
      const held = covered ? await (await import('../sql/deferred.ts')).materialised(value) : value;
      if (isTable(held)) writePieces(join(out, `${nodeId}.${port}.csv`), tableCsvPieces(held));
      else {
        const file = portFile(nodeId, port, held);
        writeFileSync(join(out, file.filename), file.text);
      }
    }
  };
  // The default engine writes each node's outputs as soon as it has run and drops them once no
  // node still to run reads them, so the run holds only what is still needed. Under DuckDB the
  // outputs are read out after the run, as before (a table there may be a view of another).
  const streaming = covered === undefined;
  if (streaming && out !== undefined) mkdirSync(out, { recursive: true });
  const report = await engine.run(doc, {
    ...(streaming ? { release: true, onOutputs: write } : {}),
    onEvent: (event) => {
      if (event.type === 'progress') {
        const line = `${event.nodeId}: ${Math.round(event.fraction * 100)}%${event.detail ? ` ${event.detail}` : ''}`;
        if (line !== lastLine) process.stderr.write(`${line}\n`);
        lastLine = line;
      } else if (event.type === 'status' && event.status.state !== 'running') {
        const s = event.status;
        const took = s.durationMs === null ? '' : ` in ${(s.durationMs / 1000).toFixed(2)} s`;
        process.stderr.write(`${event.nodeId}: ${s.state}${s.cached ? ' (cached)' : took}${s.summary ? ` — ${s.summary}` : ''}\n`);
        for (const problem of s.issues) process.stderr.write(`  ${problem.severity}: ${problem.message}\n`);
      }
    },
  });
  if (covered) {
    for (const [nodeId, c] of covered) process.stderr.write(`${nodeId}: ${c.engine === 'duckdb' ? 'ran in DuckDB' : `ran in the default engine (${c.reason})`}\n`);
  }
  if (report.documentIssues.length > 0) {
    printProblems(label, report.documentIssues);
    return 2;
  }
  if (!streaming && out !== undefined) {
    mkdirSync(out, { recursive: true });
    for (const node of doc.nodes) {
      const outputs = engine.outputs(doc, node.id);
      if (outputs) await write(node.id, outputs);
    }
  }
  if (report.ok) return 0;
  const failures = doc.nodes.filter((n) => report.statuses[n.id]?.state === 'error');
  const first = failures[0];
  const firstIssue = first ? report.statuses[first.id]?.issues[0] : undefined;
  const inputFailed = failures.some((n) => nodeRegistry[n.kind]?.readsFile === true);
  process.stderr.write(`insight: ${first ? `node ${JSON.stringify(first.id)} failed: ${firstIssue?.message ?? 'unknown error'}` : 'the run did not finish'}\n`);
  return inputFailed ? 2 : 1;
}

async function exportCommand(args: string[]): Promise<number> {
  let pipeline: string | undefined;
  let sqlFile: string | undefined;
  let out: string | undefined;
  const bindings: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = (): string => optionValue(args, i++);
    if (arg === '--sql') sqlFile = value();
    else if (arg === '--out') out = value();
    else if (arg === '--input') {
      const spec = value();
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new UsageError(`--input expects NODE_ID=FILE (a node's input file) or NODE_ID.PORT=CSV (a remaining node's table), got ${formatValue(spec)}.`);
      bindings.push([spec.slice(0, eq), spec.slice(eq + 1)]);
    } else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}.`);
    else if (pipeline === undefined) pipeline = arg;
    else throw new UsageError(`Unexpected argument ${formatValue(arg)}.`);
  }
  if (sqlFile === undefined) throw new UsageError('export needs --sql FILE.');
  const read = readPipeline(pipeline);
  if ('problems' in read) {
    printProblems(pipeline ?? '', read.problems);
    return 2;
  }
  const doc = read.document;
  // NODE_ID=FILE binds a node's file as insight run does; NODE_ID.PORT=CSV names the file holding a remaining node's table.
  const files = new Map<string, string>();
  const boundaries = new Map<string, string>();
  for (const [key, file] of bindings) {
    if (doc.nodes.some((n) => n.id === key)) {
      checkInputPath(`--input ${key}=${file.length > 120 ? `${file.slice(0, 117)}...` : file}`, file);
      files.set(key, file);
    } else if (doc.nodes.some((n) => key.startsWith(`${n.id}.`))) boundaries.set(key, file);
    else throw new UsageError(`--input names ${formatValue(key)}, which is neither a node nor a node's port in the pipeline (nodes: ${doc.nodes.map((n) => n.id).join(', ')}).`);
  }
  const { exportSql } = await import('../sql/export.ts');
  const backend = await checkBackendName('cpu');
  const script = await exportSql(doc, nodeRegistry, { files, boundaries, ...(out === undefined ? {} : { out }), host: createNodeHost({ files: Object.fromEntries(files), backend: () => backend }) });
  if ('problems' in script) {
    printProblems(pipeline ?? '', script.problems);
    return 2;
  }
  writeFileSync(sqlFile, script.text);
  process.stderr.write(`${sqlFile}: ${script.covered.length} node(s) as SQL (${script.covered.join(', ') || 'none'}); ${script.tables.length} table(s); ${script.remaining.length} remain for the studio/CLI.\n`);
  for (const f of script.failed) process.stderr.write(`insight: node ${JSON.stringify(f.id)} failed when export ran it: ${f.message}\n`);
  if (script.failed.length === 0) return 0;
  return script.failed.some((f) => f.readsFile) ? 2 : 1;
}

/** Checks a --backend name without starting TensorFlow.js (a pipeline that runs none): the name, as given. */
async function checkBackendName(name: string): Promise<string> {
  const { isBackendName } = await import('../ml/backend-ladder.ts');
  if (!isBackendName(name)) throw new UsageError(`--backend expects wasm or cpu, got ${formatValue(name)}.`);
  return name;
}

/** Chooses the TensorFlow.js backend for Node runs (wasm by default, cpu if wasm cannot start). */
async function initBackend(name: string): Promise<string> {
  const { selectBackend } = await import('../ml/tf-backend.ts');
  const { forcedLadder, isBackendName } = await import('../ml/backend-ladder.ts');
  if (!isBackendName(name)) throw new UsageError(`--backend expects wasm or cpu, got ${formatValue(name)}.`);
  try {
    return (await selectBackend(forcedLadder(name))).backend;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
