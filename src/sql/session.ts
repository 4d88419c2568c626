/**
 * One DuckDB database for a run (@duckdb/node-api, a dev dependency imported lazily, never by
 * page code): tables from the default engine enter it at the boundary (appended with their row
 * positions), SQL-capable nodes run as views over them, and their outputs leave it as tables
 * again. A table that a SQL node made and a later SQL node reads stays in the database (the
 * view chains). Settings: memory_limit and temp_directory, so that DuckDB spills to disk, and the
 * allocator's background threads, so that memory DuckDB frees leaves the process.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { columnValues, makeTable, numberColumn, storedColumns, valueKind, type ColumnArray } from '../data/columns.ts';
import { epochToDates } from '../data/dates.ts';
import { DeferredTable, isDeferred } from './deferred.ts';
import { quoteIdent, quoteString } from './quote.ts';
import { ROW_COLUMN, storedType, type SqlColumn, type SqlRelation } from './relation.ts';

/** Options of the database. */
export interface SessionOptions {
  /** DuckDB memory_limit, e.g. "4GB". */
  memoryLimit?: string;
  /** Where DuckDB spills. */
  tempDir?: string;
  /** Worker threads. */
  threads?: number;
}

/** Column types of a table as SQL types, or the first column that has no exact SQL form. */
export function sqlColumns(table: ColumnTable): { ok: true; columns: SqlColumn[] } | { ok: false; reason: string } {
  const columns: SqlColumn[] = [];
  for (const name of table.columnNames()) {
    if (name === ROW_COLUMN) return { ok: false, reason: `column ${JSON.stringify(name)} is the name the SQL engine uses for row order` };
    const values = columnValues(table, name);
    const kind = valueKind(values);
    if (kind === 'number') {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        const infinite = v === Infinity || v === -Infinity;
        const other = typeof v !== 'number' && v !== null && v !== undefined;
        if (infinite || other) return { ok: false, reason: `column ${JSON.stringify(name)} holds ${String(v)}, which stays in the default engine` };
      }
      columns.push({ name, type: 'DOUBLE' });
    } else if (kind === 'text' || kind === 'empty') {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && typeof v !== 'string') return { ok: false, reason: `column ${JSON.stringify(name)} mixes text with ${typeof v}` };
        if (typeof v === 'string' && v.includes('\0')) return { ok: false, reason: `column ${JSON.stringify(name)} holds a NUL character` };
      }
      columns.push({ name, type: 'VARCHAR' });
    } else if (kind === 'date') {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && !(v instanceof Date)) return { ok: false, reason: `column ${JSON.stringify(name)} mixes dates with ${typeof v}` };
      }
      columns.push({ name, type: 'TIMESTAMP_MS' });
    } else return { ok: false, reason: `column ${JSON.stringify(name)} holds ${kind} values, which stay in the default engine` };
  }
  return { ok: true, columns };
}

/** A DuckDB database for one run. */
export class SqlSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly file: string | null,
  ) {}

  private readonly relations = new WeakMap<ColumnTable, SqlRelation>();
  /** Folder for boundary files (the temp dir, or the OS's). */
  private spill = tmpdir();
  private counter = 0;

  /** Opens an in-memory database with the given limits. */
  static async open(options: SessionOptions = {}): Promise<SqlSession> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const config: Record<string, string> = {};
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    if (options.tempDir !== undefined) config.temp_directory = options.tempDir;
    if (options.threads !== undefined) config.threads = String(options.threads);
    // The allocator's background threads hand memory DuckDB has freed back to the system as it goes; without them
    // freed pages stayed resident until a later allocation in the same arena, and resident memory stood well above
    // memory_limit (10 GB scale run: 6.1 GB resident beside a 4.3 GB buffer pool, early in clean).
    config.allocator_background_threads = 'true';
    // With a temp dir the database is a file in it, so that stored tables (a 10 GB load) live
    // on disk under the buffer manager instead of in memory; it is deleted on close.
    let file: string | null = null;
    if (options.tempDir !== undefined) {
      mkdirSync(options.tempDir, { recursive: true });
      file = join(mkdtempSync(join(options.tempDir, 'db-')), 'run.duckdb');
    }
    const instance = await DuckDBInstance.create(file ?? ':memory:', config);
    const connection = await instance.connect();
    const session = new SqlSession(instance, connection, file);
    if (options.tempDir !== undefined) session.spill = options.tempDir;
    return session;
  }

  /** Called with each statement exec runs, before it runs (insight export --sql records them). */
  onExec: ((sql: string) => void) | null = null;

  /** Runs `f` without telling onExec: a step done in JS whose script form is told with `record` instead. */
  async unrecorded<T>(f: () => Promise<T>): Promise<T> {
    const hook = this.onExec;
    this.onExec = null;
    try {
      return await f();
    } finally {
      this.onExec = hook;
    }
  }

  /** Tells onExec of a statement that stands in a script for work done here in JS; it is not run. */
  record(sql: string): void {
    this.onExec?.(sql);
  }

  /** Runs statements (no result). */
  async exec(sql: string): Promise<void> {
    this.onExec?.(sql);
    await this.connection.run(sql);
  }

  /** Runs a query and returns its columns as JS values, with their names. */
  async query(sql: string): Promise<{ names: string[]; columns: unknown[][] }> {
    const reader = await this.connection.runAndReadAll(sql);
    return { names: reader.columnNames(), columns: reader.getColumnsJS() };
  }

  /** A fresh relation name with a prefix (helper tables of one node). */
  fresh(prefix: string): string {
    return `${prefix}:${++this.counter}`;
  }

  /** The relation holding `table` (at least `columns`): the one a SQL node made, or a new table of those columns appended now. */
  async relationOf(table: ColumnTable | DeferredTable, columns: readonly SqlColumn[]): Promise<SqlRelation> {
    if (isDeferred(table)) {
      if (table.relation) return table.relation;
      return this.relationOf(await table.materialise(), columns);
    }
    const known = this.relations.get(table);
    if (known && columns.every((c) => known.columns?.some((k) => k.name === c.name))) return known;
    const name = `boundary:${++this.counter}`;
    const defs = [`${quoteIdent(ROW_COLUMN)} BIGINT`, ...columns.map((c) => `${quoteIdent(c.name)} ${storedType(c.type)}`)];
    await this.exec(`CREATE TABLE ${quoteIdent(name)} (${defs.join(', ')})`);
    // The boundary crosses as a CSV file that DuckDB reads in parallel (numbers as their
    // shortest round-trip text, text always quoted so that "" stays an empty string and an
    // unquoted empty field is NULL): measured faster than appending value by value.
    // Read through the table's selection (clean's output): no column is materialised.
    const stored = storedColumns(table, columns.map((c) => c.name));
    const rows = table.numRows();
    if (rows > 0) await this.appendCsv(name, columns, stored.columns, rows, stored.rows);
    const relation = { name, columns };
    this.relations.set(table, relation);
    return relation;
  }

  /**
   * A new table of number columns (NaN stored as NULL) with the row-order column 1..n, appended a
   * data chunk at a time (not recorded: a step done in JS): measured 4× less CPU than the CSV
   * boundary for 50,000 rows × 11 columns, where numbers need no text form.
   */
  async numbersRelation(columns: readonly { name: string; values: Float64Array }[]): Promise<SqlRelation> {
    const { BIGINT, DOUBLE, DuckDBDataChunk } = await import('@duckdb/node-api');
    const name = `numbers:${++this.counter}`;
    const defs = [`${quoteIdent(ROW_COLUMN)} BIGINT`, ...columns.map((c) => `${quoteIdent(c.name)} DOUBLE`)];
    await this.connection.run(`CREATE TABLE ${quoteIdent(name)} (${defs.join(', ')})`);
    const rows = columns[0]?.values.length ?? 0;
    const appender = await this.connection.createAppender(name);
    try {
      const types = [BIGINT, ...columns.map(() => DOUBLE)];
      for (let from = 0; from < rows; from += 2048) {
        const n = Math.min(2048, rows - from);
        const chunk = DuckDBDataChunk.create(types, n);
        chunk.setColumnValues(0, Array.from({ length: n }, (_, i) => BigInt(from + i + 1)));
        columns.forEach((c, j) => chunk.setColumnValues(j + 1, Array.from(c.values.subarray(from, from + n), (v) => (Number.isNaN(v) ? null : v))));
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
    return { name, columns: columns.map((c) => ({ name: c.name, type: 'DOUBLE' })) };
  }

  /** Appends `rows` rows; row i is stored row `at[i]` of `values` (at null: row i). */
  private async appendCsv(name: string, columns: readonly SqlColumn[], values: readonly ColumnArray[], rows: number, at: Uint32Array | null): Promise<void> {
    const folder = mkdtempSync(join(this.spill, 'boundary-'));
    const path = join(folder, 'table.csv');
    const fd = openSync(path, 'w');
    try {
      let buffer = '';
      for (let i = 0; i < rows; i++) {
        let line = String(i + 1);
        const row = at === null ? i : at[i]!;
        for (let j = 0; j < columns.length; j++) {
          const v = values[j]?.[row];
          line += ',';
          if (typeof v === 'number' && !Number.isNaN(v)) line += Object.is(v, -0) ? '-0.0' : String(v);
          else if (v instanceof Date && !Number.isNaN(v.getTime())) line += String(v.getTime());
          else if (typeof v === 'string') line += `"${v.replaceAll('"', '""')}"`;
        }
        buffer += `${line}\n`;
        if (buffer.length > 1 << 20) {
          writeSync(fd, buffer);
          buffer = '';
        }
      }
      writeSync(fd, buffer);
    } finally {
      closeSync(fd);
    }
    const types = [`${quoteString(ROW_COLUMN)}: 'BIGINT'`, ...columns.map((c) => `${quoteString(c.name)}: ${quoteString(storedType(c.type))}`)];
    try {
      await this.exec(`INSERT INTO ${quoteIdent(name)} SELECT * FROM read_csv(${quoteString(path)}, header = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, new_line = '\\n', columns = {${types.join(', ')}})`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  /** Stores a view once as a table (the SQL nodes downstream read it instead of re-running the view chain); returns it and its row count. */
  async store(view: SqlRelation): Promise<{ relation: SqlRelation; rows: number }> {
    const relation = { name: `${view.name}:stored`, columns: view.columns };
    await this.exec(`CREATE OR REPLACE TABLE ${quoteIdent(relation.name)} AS SELECT * FROM ${quoteIdent(view.name)}`);
    const count = await this.query(`SELECT count(*) FROM ${quoteIdent(relation.name)}`);
    const rows = count.columns[0]?.[0];
    return { relation, rows: typeof rows === 'bigint' ? Number(rows) : typeof rows === 'number' ? rows : 0 };
  }

  /** A view's rows stored in DuckDB and handed on as a deferred table (read into JS only on demand). */
  async deferred(view: SqlRelation): Promise<DeferredTable> {
    const { relation, rows } = await this.store(view);
    const names = (relation.columns ?? []).map((c) => c.name);
    return new DeferredTable(rows, names, () => this.read(relation), relation);
  }

  /** Reads a relation back as a table in its row order (stored first; numbers: Float64Array when complete). */
  async materialise(view: SqlRelation): Promise<ColumnTable> {
    return this.read((await this.store(view)).relation);
  }

  /** Reads a stored relation into JS in its row order (`only`: just those columns, as a table of them, not remembered as the relation's). */
  async read(relation: SqlRelation, only?: readonly string[]): Promise<ColumnTable> {
    // Streamed a chunk at a time into the engine's own column forms: numbers and instants into
    // Float64Arrays, instants then as shared Date objects (epochToDates, as load builds them), and
    // repeated text as one string. Reading every cell as a JS value first held a 15M-row table
    // twice over and ran out of heap at 1 GB.
    const counted = await this.query(`SELECT count(*) FROM ${quoteIdent(relation.name)}`);
    const rows = Number(counted.columns[0]?.[0] ?? 0);
    let table: ColumnTable | undefined;
    for await (const batch of this.batches(relation, rows, only)) {
      if (table) throw new RangeError(`relation ${relation.name} gave more rows than it counted (${rows})`);
      table = batch;
    }
    if (!table || table.numRows() !== rows) throw new RangeError(`relation ${relation.name} gave ${table?.numRows() ?? 0} rows, not the ${rows} it counted`);
    if (only === undefined) this.relations.set(table, relation);
    return table;
  }

  /**
   * A stored relation in its row order as tables of `batchRows` rows each (the last shorter; one
   * table of no rows when the relation has none), built as `read` builds the whole table, so that
   * a table larger than memory can be written out a batch at a time (`insight run --out`).
   */
  async *readBatches(relation: SqlRelation, batchRows = 65_536): AsyncGenerator<ColumnTable> {
    yield* this.batches(relation, batchRows);
  }

  private async *batches(relation: SqlRelation, batchRows: number, only?: readonly string[]): AsyncGenerator<ColumnTable> {
    const select = only === undefined ? `* EXCLUDE (${quoteIdent(ROW_COLUMN)})` : only.map(quoteIdent).join(', ');
    const { names, chunks } = await this.streamRows(`SELECT ${select} FROM ${quoteIdent(relation.name)} ORDER BY ${quoteIdent(ROW_COLUMN)}`);
    const types = new Map((relation.columns ?? []).map((c) => [c.name, c.type]));
    const kinds = names.map((name) => types.get(name));
    const interned = names.map(() => new Map<string, string>());
    const size = Math.max(1, batchRows);
    let batch = new BatchColumns(kinds, size);
    let yielded = false;
    for await (const chunk of chunks) {
      for (let from = 0; from < chunk.rows; ) {
        const n = Math.min(chunk.rows - from, size - batch.rows);
        batch.fill(chunk.columns, from, n, interned);
        from += n;
        if (batch.rows === size) {
          yield batch.table(names);
          yielded = true;
          batch = new BatchColumns(kinds, size);
        }
      }
    }
    if (batch.rows > 0 || !yielded) yield batch.table(names);
  }

  /**
   * Runs a query and hands its result on a chunk at a time (each column as JS values): DuckDB
   * sorts or spills what the query needs out of core, and JS holds one chunk, not the result.
   */
  async streamRows(sql: string): Promise<{ names: string[]; chunks: AsyncGenerator<{ columns: unknown[][]; rows: number }> }> {
    const { JSDuckDBValueConverter } = await import('@duckdb/node-api');
    const result = await this.connection.stream(sql);
    const names = result.columnNames();
    async function* chunks(): AsyncGenerator<{ columns: unknown[][]; rows: number }> {
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const c = chunk;
        yield { columns: names.map((_, j) => c.convertColumnValues(j, JSDuckDBValueConverter)), rows: c.rowCount };
      }
    }
    return { names, chunks: chunks() };
  }

  /** Closes the database. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.file !== null) rmSync(join(this.file, '..'), { recursive: true, force: true });
  }
}

/** The columns of one batch of rows read from DuckDB, in the engine's own column forms (see SqlSession.read). */
class BatchColumns {
  rows = 0;
  private readonly numeric: (Float64Array | null)[];
  private readonly other: (unknown[] | null)[];

  constructor(
    private readonly kinds: readonly (SqlColumn['type'] | undefined)[],
    capacity: number,
  ) {
    this.numeric = kinds.map((type) => (type === 'DOUBLE' || type === 'TIMESTAMP_MS' ? new Float64Array(capacity) : null));
    this.other = kinds.map((type) => (type === 'DOUBLE' || type === 'TIMESTAMP_MS' ? null : []));
  }

  /** Appends rows from..from+n of a chunk's columns (JS values); repeated text shares one string per column (up to 65,536 distinct). */
  fill(columns: readonly unknown[][], from: number, n: number, interned: readonly Map<string, string>[]): void {
    const at = this.rows;
    for (let j = 0; j < this.kinds.length; j++) {
      const values = columns[j] ?? [];
      const into = this.numeric[j];
      if (into) {
        for (let i = 0; i < n; i++) {
          const v = values[from + i];
          into[at + i] = typeof v === 'number' ? v : Number.NaN;
        }
        continue;
      }
      const out = this.other[j]!;
      const seen = interned[j]!;
      for (let i = 0; i < n; i++) {
        const v = values[from + i];
        if (typeof v !== 'string') out.push(v === undefined ? null : v);
        else {
          const known = seen.get(v);
          if (known !== undefined) out.push(known);
          else {
            // A column of mostly unique text keeps its own strings.
            if (seen.size < 1 << 16) seen.set(v, v);
            out.push(v);
          }
        }
      }
    }
    this.rows += n;
  }

  /** The rows so far as a table. */
  table(names: readonly string[]): ColumnTable {
    const out: ColumnArray[] = names.map((_, j) => {
      const full = this.numeric[j];
      if (full === null || full === undefined) return this.other[j] ?? [];
      const values = full.length === this.rows ? full : full.slice(0, this.rows);
      return this.kinds[j] === 'TIMESTAMP_MS' ? epochToDates(values) : numberColumn(values);
    });
    return makeTable(names, out);
  }
}

/** A read_csv(...) of a path with a header row, every column as text (the export's inputs). */
export function readCsvSql(path: string): string {
  return `read_csv(${quoteString(path)}, header = true, all_varchar = true)`;
}
