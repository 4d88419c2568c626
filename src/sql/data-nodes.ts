/**
 * The SQL runs of load and clean under --engine duckdb (src/sql/load.ts, src/sql/clean.ts):
 * each emits the kernel's warnings and builds the same outputs, which stay in DuckDB as
 * deferred tables; a string result is the reason the node runs in the default engine instead.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColumnTable } from 'arquero';
import { makeTable } from '../data/columns.ts';
import { conditionText } from '../data/conditions.ts';
import { emitNotes } from '../data/issues.ts';
import type { ColumnType } from '../data/infer.ts';
import { columnValues } from '../data/columns.ts';
import { columnStats, statsOf, statsTable } from '../data/stats.ts';
import type { Condition } from '../engine/params.ts';
import type { NodeContext } from '../engine/node.ts';
import { isTable } from '../engine/port-codec.ts';
import { compileClean } from './clean.ts';
import { DeferredTable, isDeferred } from './deferred.ts';
import { decideType, exampleSql, inferenceSql, planCsv, rawTableSql, sqlTypeOf, typedTableSql, type InferredColumn, type LoadSqlParams } from './load.ts';
import { isParquet, parquetSql } from './parquet.ts';
import { quoteIdent } from './quote.ts';
import type { SqlColumn, SqlRelation } from './relation.ts';
import { sqlColumns, type SqlSession } from './session.ts';

/** A node's work in SQL: its outputs, or why it stays in the default engine. */
export type SqlRun = (inputs: Record<string, unknown>, params: Record<string, unknown>, ctx: NodeContext) => Promise<Record<string, unknown> | string>;

/** The relation of a table input (a deferred table's own, or the table sent across the boundary), or why there is none. */
export async function inputRelation(session: SqlSession, value: unknown, keep: (column: SqlColumn) => boolean = () => true): Promise<SqlRelation | string> {
  if (isDeferred(value) && value.relation) return value.relation;
  const table = isDeferred(value) ? await value.materialise() : value;
  if (!isTable(table)) return 'no input table';
  const schema = sqlColumns(table);
  if (!schema.ok) return schema.reason;
  return session.relationOf(table, schema.columns.filter(keep));
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : 0;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

const sampleRoot = fileURLToPath(new URL('../../sample-data/', import.meta.url));

/** The path of a bundled sample (the CLI host's rule: relative to sample-data/, no '..'), when it exists. */
function samplePath(sample: string): string | undefined {
  if (sample === '' || sample.includes('..') || sample.startsWith('/')) return undefined;
  const path = join(sampleRoot, sample);
  return existsSync(path) ? path : undefined;
}

/** The columns of load's stats table. */
export const statsNames = ['column', 'type', 'count', 'missing', 'distinct', 'min', 'max', 'mean', 'top'];

/**
 * Load's column statistics, by the kernel's own code: from the table when it is in JS already,
 * else from one column read at a time, so that --out of a table larger than memory never holds
 * more of it in JS than its largest column.
 */
export function loadStats(session: SqlSession, table: DeferredTable, relation: SqlRelation, types: Readonly<Record<string, ColumnType>>): DeferredTable {
  const names = table.columnNames();
  return new DeferredTable(names.length, statsNames, async (): Promise<ColumnTable> => {
    if (table.isRead()) return statsTable(columnStats(await table.materialise(), types));
    const stats = [];
    for (const name of names) stats.push(statsOf(name, columnValues(await session.read(relation, [name]), name), types[name]));
    return statsTable(stats);
  });
}

/** Load of a bound CSV/TSV file read by DuckDB (`files`: node id → path). */
export const loadSql = (session: SqlSession, files: ReadonlyMap<string, string>): SqlRun => async (_inputs, params, ctx) => {
  const sample = text(params.sample).trim();
  const path = params.source === 'sample' ? samplePath(sample) : files.get(ctx.nodeId);
  if (path === undefined) return 'no file bound by path (URLs and in-memory files are read by the default engine)';
  const dateOrder = params.dateOrder === 'day-first' || params.dateOrder === 'month-first' ? params.dateOrder : 'auto';
  const p: LoadSqlParams = { source: text(params.source), format: text(params.format), delimiter: text(params.delimiter), encoding: text(params.encoding), header: params.header !== false, types: stringRecord(params.types), dateOrder };
  if (params.trim === true) return 'fields trimmed of padding are read by the default engine';
  if (isParquet(path, p.format)) return parquetSql(session, path, p, ctx);
  const plan = planCsv(path, basename(path), p);
  if (typeof plan === 'string') return plan;
  ctx.progress(0.05, 'DuckDB reads the file');
  const raw = session.fresh(`${ctx.nodeId}:raw`);
  const drop = () => session.exec(`DROP TABLE IF EXISTS ${quoteIdent(raw)}`);
  try {
    await session.exec(rawTableSql(raw, plan));
  } catch (err) {
    await drop();
    const line = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 160) ?? '';
    return `DuckDB's strict CSV reader refused the file (${line}); the default engine reads it`;
  }
  ctx.progress(0.4, 'inferring the column types');
  const evidence = await session.query(inferenceSql(raw, plan.names));
  const cell = (j: number, key: string): unknown => evidence.columns[evidence.names.indexOf(`${j}:${key}`)]?.[0];
  // The first marker and non-finite cell of a column are read by their row ids (only where a column has one).
  const example = async (j: number, key: string): Promise<unknown> => {
    const row = cell(j, `${key}_row`);
    if (row === null || row === undefined) return null;
    return (await session.query(exampleSql(raw, plan.names[j] ?? '', Number(row)))).columns[0]?.[0] ?? null;
  };
  const inferred: InferredColumn[] = [];
  for (const [j, name] of plan.names.entries()) {
    const examples = { marker: await example(j, 'marker'), nonfinite: await example(j, 'nonfinite') };
    inferred.push(decideType(name, (key) => (key === 'marker' || key === 'nonfinite' ? examples[key] : cell(j, key)), p.dateOrder));
  }
  const columns: SqlColumn[] = [];
  for (const [j, name] of plan.names.entries()) {
    const type = sqlTypeOf(inferred[j]?.type ?? 'text');
    if (type === null) {
      await drop();
      return `column ${JSON.stringify(name)} holds true/false values, which stay in the default engine`;
    }
    columns.push({ name, type });
  }
  ctx.progress(0.6, 'typed table');
  const typed = `${ctx.nodeId}:table`;
  await session.exec(`DROP TABLE IF EXISTS ${quoteIdent(typed)}`);
  await session.exec(typedTableSql(typed, raw, plan.names, inferred));
  await drop();
  emitNotes(ctx, [...plan.notes, ...inferred.flatMap((c) => c.notes)]);
  const relation: SqlRelation = { name: typed, columns };
  const rows = toNumber((await session.query(`SELECT count(*) FROM ${quoteIdent(typed)}`)).columns[0]?.[0]);
  const table = new DeferredTable(rows, plan.names, () => session.read(relation), relation);
  const types: Record<string, ColumnType> = Object.create(null);
  plan.names.forEach((name, j) => (types[name] = inferred[j]?.type ?? 'text'));
  // The statistics are computed by the kernel, and only when something reads them (a node, --out).
  return { table, stats: loadStats(session, table, relation, types) };
};

function conditionList(value: unknown): Condition[] {
  return Array.isArray(value) ? value.filter((c): c is Condition => typeof c === 'object' && c !== null && 'column' in c && 'op' in c) : [];
}

/** Clean over a relation, with the kernel's report and warnings. */
export const cleanSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  const input = await inputRelation(session, inputs.table);
  if (typeof input === 'string') return input;
  const conditions = conditionList(params.conditions);
  const p = {
    dropDuplicates: params.dropDuplicates === true,
    trim: params.trim !== false,
    parseNumbers: Array.isArray(params.parseNumbers) ? params.parseNumbers.filter((c): c is string => typeof c === 'string') : [],
    parseNumbersAuto: params.parseNumbersAuto !== false,
    conditions,
    missing: stringRecord(params.missing),
    outliers: text(params.outliers) || 'keep',
    idColumn: text(params.idColumn),
  };
  const step = compileClean(ctx.nodeId, input, p);
  if (!step.ok) return step.reason;
  ctx.progress(0.05, 'cleaning in DuckDB');
  // The trimmed view first, then whether a text column sends the node to the default engine, before the duplicate passes.
  const [trimmed, ...rest] = step.statements;
  if (trimmed !== undefined) await session.exec(trimmed);
  const known = input.columns ?? [];
  const looseCells = await session.query(step.loose);
  const loose = known.findIndex((_, j) => looseCells.columns[looseCells.names.indexOf(`loose${j}`)]?.[0] === true);
  if (loose >= 0) return `text column ${JSON.stringify(known[loose]?.name ?? '')} may hold loosely written numbers, which the default engine parses`;
  for (const statement of rest) await session.exec(statement);
  const counts = await session.query(step.counts);
  const count = (key: string): number => toNumber(counts.columns[counts.names.indexOf(key)]?.[0]);
  const report: { rule: string; column: string; rows_affected: number; detail: string }[] = [];
  if (p.trim) {
    let touched = 0;
    known.forEach((c, j) => {
      if (c.type !== 'VARCHAR') return;
      const changed = count(`changed${j}`);
      const emptied = count(`emptied${j}`);
      if (changed === 0) return;
      report.push({ rule: 'trim', column: c.name, rows_affected: changed, detail: emptied > 0 ? `surrounding whitespace removed; ${emptied} cells left empty became missing` : 'surrounding whitespace removed' });
      touched++;
    });
    if (touched === 0) report.push({ rule: 'trim', column: '', rows_affected: 0, detail: 'no text cell had surrounding whitespace' });
  }
  if (p.dropDuplicates) {
    const removed = count('dup');
    report.push({ rule: 'duplicates', column: '', rows_affected: removed, detail: `${removed} rows equal to an earlier row in all ${known.length} columns were dropped` });
  }
  conditions.forEach((c, k) => {
    const removed = count(`cond${k}`);
    report.push({ rule: 'condition', column: c.column, rows_affected: removed, detail: `kept rows where ${conditionText(c)}; ${removed} removed` });
  });
  known.forEach((c, j) => {
    const missing = count(`missing${j}`);
    if (missing > 0) report.push({ rule: 'missing', column: c.name, rows_affected: missing, detail: 'kept as missing (no strategy chosen)' });
  });
  const start = count('start');
  if (count('rows') === 0 && start > 0) emitNotes(ctx, [{ code: 'everyRowRemoved', values: { rows: start } }]);
  const table = await session.deferred(step.output);
  const reportTable = makeTable(['rule', 'column', 'rows_affected', 'detail'], [report.map((r) => r.rule), report.map((r) => r.column), report.map((r) => r.rows_affected), report.map((r) => r.detail)]);
  return { table, report: reportTable };
};
