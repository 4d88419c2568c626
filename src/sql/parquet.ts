/**
 * Load of a Parquet file under --engine duckdb (read_parquet), with the types and values the
 * default engine's hyparquet reader and infer.ts buildFromValues give: a column of numbers
 * (DOUBLE, FLOAT or integers within ±(2^53 − 1)) is `integer` when every value is whole, else
 * `number`, its NaN and ±Infinity missing and noted (first example in row order); a text column
 * goes through the same cell inference as a CSV column (src/sql/load.ts inferenceSql,
 * decideType, typedTableSql). Not compiled (the load stays in the default engine): a column of
 * another Parquet type (booleans, dates and timestamps, decimals, lists, binary), integers past
 * 2^53, repeated or reserved column names, a chosen column type, a file DuckDB cannot read.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { ColumnType } from '../data/infer.ts';
import { emitNotes, type DataNote } from '../data/issues.ts';
import type { NodeContext } from '../engine/node.ts';
import { loadStats } from './data-nodes.ts';
import { DeferredTable } from './deferred.ts';
import { decideType, exampleSql, inferenceSql, typedTableSql, type InferredColumn, type LoadSqlParams } from './load.ts';
import { quoteIdent, quoteString } from './quote.ts';
import { ROW_COLUMN, type SqlColumn, type SqlRelation } from './relation.ts';
import type { SqlSession } from './session.ts';

/** Whether the file is Parquet as the default engine decides it (format chosen, or its magic bytes with format auto). */
export function isParquet(path: string, format: string): boolean {
  if (format === 'parquet') return true;
  if (format !== 'auto') return false;
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(4);
    return readSync(fd, head, 0, 4, 0) === 4 && String.fromCharCode(...head) === 'PAR1';
  } finally {
    closeSync(fd);
  }
}

const NUMERIC = new Set(['DOUBLE', 'FLOAT', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

/** A Parquet file read into `typed` (row column first), with its columns, types and notes, or why the default engine reads it. */
export async function loadParquet(session: SqlSession, path: string, typed: string, dateOrder: 'auto' | 'day-first' | 'month-first'): Promise<{ columns: SqlColumn[]; inferred: InferredColumn[]; notes: DataNote[] } | string> {
  const source = `read_parquet(${quoteString(path)})`;
  let schema: { names: string[]; columns: unknown[][] };
  try {
    schema = await session.query(`DESCRIBE SELECT * FROM ${source}`);
  } catch (err) {
    return `DuckDB could not read the Parquet file (${(err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 160) ?? ''}); the default engine reads it`;
  }
  const names = (schema.columns[0] ?? []).map(String);
  const types = (schema.columns[1] ?? []).map(String);
  if (names.length === 0) return 'a Parquet file without columns (the default engine reports it)';
  if (new Set(names).size !== names.length) return 'repeated Parquet column names are renamed by the default engine';
  if (names.some((n) => n.startsWith('__insight_'))) return 'a column name starts with __insight_, the prefix the SQL engine uses for its own columns';
  const other = names.findIndex((_, j) => types[j] !== 'VARCHAR' && !NUMERIC.has(types[j] ?? ''));
  if (other >= 0) return `Parquet column ${JSON.stringify(names[other])} is ${types[other]}, read by the default engine`;
  const raw = session.fresh(`${typed}:raw`);
  const drop = () => session.exec(`DROP TABLE IF EXISTS ${quoteIdent(raw)}`);
  await session.exec(`CREATE TABLE ${quoteIdent(raw)} AS SELECT * FROM ${source}`);
  try {
    const textNames = names.filter((_, j) => types[j] === 'VARCHAR');
    const numberNames = names.filter((_, j) => types[j] !== 'VARCHAR');
    // Numbers: whole or not, non-finite count and first example, the range an integer type must keep.
    const stats = numberNames.flatMap((n, k) => {
      const x = quoteIdent(n);
      const bad = `(isnan(CAST(${x} AS DOUBLE)) OR isinf(CAST(${x} AS DOUBLE)))`;
      return [`count(${x}) FILTER (WHERE NOT ${bad}) AS "n${k}"`, `count(${x}) FILTER (WHERE NOT ${bad} AND CAST(${x} AS DOUBLE) <> trunc(CAST(${x} AS DOUBLE))) AS "f${k}"`, `count(${x}) FILTER (WHERE ${bad}) AS "b${k}"`, `arg_min(CASE WHEN isnan(CAST(${x} AS DOUBLE)) THEN 'NaN' WHEN CAST(${x} AS DOUBLE) > 0 THEN 'Infinity' ELSE '-Infinity' END, rowid) FILTER (WHERE ${bad}) AS "e${k}"`, `CAST(max(abs(CAST(${x} AS DOUBLE))) AS DOUBLE) AS "m${k}"`];
    });
    const numbers = numberNames.length === 0 ? null : await session.query(`SELECT ${stats.join(', ')} FROM ${quoteIdent(raw)}`);
    const cell = (key: string): unknown => numbers?.columns[numbers.names.indexOf(key)]?.[0];
    const count = (key: string): number => {
      const v = cell(key);
      return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0;
    };
    const evidence = textNames.length === 0 ? null : await session.query(inferenceSql(raw, textNames));
    const inferred: InferredColumn[] = [];
    const columns: SqlColumn[] = [];
    for (const [j, name] of names.entries()) {
      const t = textNames.indexOf(name);
      if (t >= 0) {
        const cell = (key: string): unknown => evidence?.columns[evidence.names.indexOf(`${t}:${key}`)]?.[0];
        // The inference gives the row ids of a column's first marker and non-finite cell; the cells are read by them.
        const example = async (key: string): Promise<unknown> => {
          const row = cell(`${key}_row`);
          if (row === null || row === undefined) return null;
          return (await session.query(exampleSql(raw, name, Number(row)))).columns[0]?.[0] ?? null;
        };
        const examples = { marker: await example('marker'), nonfinite: await example('nonfinite') };
        const c = decideType(name, (key) => (key === 'marker' || key === 'nonfinite' ? examples[key] : cell(key)), dateOrder);
        if (c.type === 'boolean') return `column ${JSON.stringify(name)} holds true/false values, which stay in the default engine`;
        inferred.push(c);
        columns.push({ name, type: c.type === 'integer' || c.type === 'number' ? 'DOUBLE' : c.type === 'date' ? 'TIMESTAMP_MS' : 'VARCHAR' });
        continue;
      }
      const k = numberNames.indexOf(name);
      if ((types[j] === 'BIGINT' || types[j] === 'UBIGINT') && count(`m${k}`) > Number.MAX_SAFE_INTEGER) return `column ${JSON.stringify(name)} holds integers past 2^53, which the default engine keeps as text`;
      const present = count(`n${k}`);
      const bad = count(`b${k}`);
      // String(v) of the first non-finite value in row order, as buildFromValues notes it.
      const example = String(cell(`e${k}`));
      // No value at all (only nulls): the default engine reads the cells as text.
      if (present === 0 && bad === 0) {
        inferred.push({ type: 'text', notes: [], order: 'day-first' });
        columns.push({ name, type: 'VARCHAR' });
        continue;
      }
      if (present === 0) return `column ${JSON.stringify(name)} holds only non-finite numbers, typed by the default engine`;
      inferred.push({ type: count(`f${k}`) === 0 ? 'integer' : 'number', notes: bad > 0 ? [{ code: 'nonFinite', values: { column: name, count: bad, example } }] : [], order: 'day-first' });
      columns.push({ name, type: 'DOUBLE' });
    }
    // Text columns typed as CSV cells are; number columns with their non-finite values missing; joined on the row.
    const text = session.fresh(`${typed}:text`);
    const textRaw = session.fresh(`${typed}:textraw`);
    const row = quoteIdent(ROW_COLUMN);
    if (textNames.length > 0) {
      await session.exec(`CREATE TABLE ${quoteIdent(textRaw)} AS SELECT ${textNames.map(quoteIdent).join(', ')} FROM ${quoteIdent(raw)} ORDER BY rowid`);
      await session.exec(typedTableSql(text, textRaw, textNames, textNames.map((n) => inferred[names.indexOf(n)] ?? { type: 'text', notes: [], order: 'day-first' })));
    }
    const parts = names.map((name, j) => {
      const x = quoteIdent(name);
      if (types[j] === 'VARCHAR') return `t.${x}`;
      if (columns[j]?.type === 'VARCHAR') return `CAST(NULL AS VARCHAR) AS ${x}`;
      const d = `CAST(r.${x} AS DOUBLE)`;
      return `CASE WHEN isnan(${d}) OR isinf(${d}) THEN NULL ELSE ${d} END AS ${x}`;
    });
    const numbered = `(SELECT rowid + 1 AS ${row}, * FROM ${quoteIdent(raw)}) AS r`;
    const join = textNames.length > 0 ? ` JOIN ${quoteIdent(text)} AS t ON t.${row} = r.${row}` : '';
    await session.exec(`DROP TABLE IF EXISTS ${quoteIdent(typed)}`);
    await session.exec(`CREATE TABLE ${quoteIdent(typed)} AS SELECT r.${row}, ${parts.join(', ')} FROM ${numbered}${join} ORDER BY r.${row}`);
    await session.exec(`DROP TABLE IF EXISTS ${quoteIdent(text)}`);
    await session.exec(`DROP TABLE IF EXISTS ${quoteIdent(textRaw)}`);
    return { columns, inferred, notes: inferred.flatMap((c) => c.notes) };
  } finally {
    await drop();
  }
}

/** Load's outputs for a Parquet file read by DuckDB (as the CSV path gives them), or why the default engine reads it. */
export async function parquetSql(session: SqlSession, path: string, p: LoadSqlParams, ctx: NodeContext): Promise<Record<string, unknown> | string> {
  if (Object.values(p.types).some((t) => t !== 'auto')) return 'chosen column types are read by the default engine';
  ctx.progress(0.05, 'DuckDB reads the Parquet file');
  const typed = `${ctx.nodeId}:table`;
  const read = await loadParquet(session, path, typed, p.dateOrder);
  if (typeof read === 'string') return read;
  emitNotes(ctx, read.notes);
  const relation: SqlRelation = { name: typed, columns: read.columns };
  const counted = (await session.query(`SELECT count(*) FROM ${quoteIdent(typed)}`)).columns[0]?.[0];
  const rows = typeof counted === 'bigint' ? Number(counted) : typeof counted === 'number' ? counted : 0;
  const names = read.columns.map((c) => c.name);
  const table = new DeferredTable(rows, names, () => session.read(relation), relation);
  const types: Record<string, ColumnType> = Object.create(null);
  names.forEach((name, j) => (types[name] = read.inferred[j]?.type ?? 'text'));
  return { table, stats: loadStats(session, table, relation, types) };
}
