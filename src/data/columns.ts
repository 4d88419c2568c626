/**
 * Table helpers shared by the data kernels: raw column access without copies, building tables
 * from column arrays, gathering rows, reading a column as numbers, and telling what kind of
 * values a column holds. The value conventions are in README.md (missing = null).
 */
import { BitSet, ColumnTable } from 'arquero';
import { InsightError } from '../engine/errors.ts';

/** A column's values as kernels read them. */
export type Values = ArrayLike<unknown>;

/** Typed arrays a column may be stored in. */
export type TypedColumn = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray | BigInt64Array | BigUint64Array;

/** A column array a table can be built from. */
export type ColumnArray = unknown[] | TypedColumn;

/**
 * The values of a column. For a table that is neither filtered nor ordered this is the stored
 * array itself (no copy, so never write to it); otherwise Arquero materialises one, a
 * `Float64Array` when the stored column is one (as a copy of the rows would be). Kernels that
 * can read a filtered table without that copy take `storedColumns`.
 */
export function columnValues(table: ColumnTable, name: string): ColumnArray {
  const stored: unknown = table.column(name);
  if (!table.isFiltered() && !table.isOrdered()) {
    if (isIndexable(stored)) return stored;
  }
  return stored instanceof Float64Array ? table.array(name, Float64Array) : table.array(name);
}

/**
 * Columns read through a table's row selection, without copies. For a filtered table that is
 * not ordered (clean's output, which shares its input's unchanged columns), `columns` are the
 * stored full-length arrays and `rows` the indices of the stored rows the table holds,
 * ascending (stored order); a kernel reads row rows[k] as the table's row k, whatever the other
 * stored rows hold. For any other table `rows` is null and `columns` are `columnValues` (the
 * rows as they are).
 */
export interface StoredColumns {
  /** One array per name asked for, all `length` long. */
  columns: ColumnArray[];
  /** The table's rows as indices into the stored arrays, ascending (the table's own `indices()`: never write to it); null: every one, in order. */
  rows: Uint32Array | null;
  /** The stored arrays' length (the table's rows when `rows` is null). */
  length: number;
}

/** The named columns of a table as stored, with its selection (see StoredColumns). */
export function storedColumns(table: ColumnTable, names: readonly string[]): StoredColumns {
  if (table.isFiltered() && !table.isOrdered() && table.numRows() < table.totalRows()) {
    const stored: unknown[] = names.map((name) => table.column(name));
    if (stored.every(isIndexable)) {
      // Arquero's own indices: read a word at a time, and kept on the table, so the CSV writer and
      // every kernel reading this table share one array (read it, never write to it).
      return { columns: stored as ColumnArray[], rows: table.indices(), length: table.totalRows() };
    }
  }
  return { columns: names.map((name) => columnValues(table, name)), rows: null, length: table.numRows() };
}

/**
 * The table with only the rows where keep[i] is 1, sharing its columns (Arquero's filter: no
 * copy; `columnValues` materialises a column, `storedColumns` reads it through the selection).
 */
export function selectRows(table: ColumnTable, keep: Uint8Array): ColumnTable {
  const filter = new BitSet(keep.length);
  for (let i = 0; i < keep.length; i++) if (keep[i]) filter.set(i);
  return table.create({ filter });
}

/** True for arrays and typed arrays (DataView is the one ArrayBufferView that is neither). */
function isIndexable(value: unknown): value is ColumnArray {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** A table from names and equally long column arrays, in that column order. */
export function makeTable(names: readonly string[], columns: readonly ColumnArray[]): ColumnTable {
  // No prototype: a column named "constructor" or "toString" must not find Object's methods.
  const data: Record<string, ColumnArray> = Object.create(null);
  names.forEach((name, i) => {
    data[name] = columns[i] ?? [];
  });
  return new ColumnTable(data, [...names]);
}

/** The given rows of a column (indices into its values), keeping its array type. */
export function gather(values: Values, rows: ArrayLike<number>): ColumnArray {
  const n = rows.length;
  if (values instanceof Float64Array) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = values[rows[i]!]!;
    return out;
  }
  const out: unknown[] = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = values[rows[i]!];
  return out;
}

/** Row indices where keep[i] is 1. */
export function keptRows(keep: Uint8Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += keep[i]!;
  const rows = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) rows[k++] = i;
  return rows;
}

/** True for a missing cell: null, undefined, NaN or an invalid Date. */
export function isMissing(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return false;
}

/** A column read as numbers (NaN where missing), with what did not fit. */
export interface NumberRead {
  /** Values; NaN marks missing, non-finite and non-numeric cells alike. */
  values: Float64Array;
  /** Missing cells (null, undefined, NaN). */
  missing: number;
  /** Infinite numbers (set NaN in `values`). */
  nonFinite: number;
  /** Cells that are not numbers at all (text, dates, booleans...). */
  nonNumeric: number;
  /** The first such cell. */
  nonNumericExample: unknown;
}

/** Reads a column as numbers; bigint is converted, anything non-numeric is counted. */
export function readNumbers(values: Values): NumberRead {
  const n = values.length;
  const out = new Float64Array(n);
  if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint32Array || values instanceof Int16Array || values instanceof Uint16Array || values instanceof Int8Array || values instanceof Uint8Array) {
    let missing = 0;
    let nonFinite = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) missing++;
      else if (!Number.isFinite(v)) nonFinite++;
      out[i] = Number.isFinite(v) ? v : Number.NaN;
    }
    return { values: out, missing, nonFinite, nonNumeric: 0, nonNumericExample: null };
  }
  let missing = 0;
  let nonFinite = 0;
  let nonNumeric = 0;
  let nonNumericExample: unknown = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = Number.NaN;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) missing++;
      else if (!Number.isFinite(v)) nonFinite++;
      else out[i] = v;
    } else if (typeof v === 'bigint') {
      out[i] = Number(v);
    } else if (v === null || v === undefined) {
      missing++;
    } else {
      if (nonNumeric === 0) nonNumericExample = v;
      nonNumeric++;
    }
  }
  return { values: out, missing, nonFinite, nonNumeric, nonNumericExample };
}

/** Numbers with NaN for missing as a column: Float64Array when complete, else number | null. */
export function numberColumn(values: Float64Array): Float64Array | (number | null)[] {
  let complete = true;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) {
      complete = false;
      break;
    }
  }
  if (complete) return values;
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

/** What a column holds, judged from all its non-missing values. */
export type ValueKind = 'number' | 'date' | 'boolean' | 'text' | 'mixed' | 'empty';

/** The kind of a column's non-missing values (typed arrays are numbers). */
export function valueKind(values: Values): ValueKind {
  if (ArrayBuffer.isView(values)) {
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(Number(values[i]))) return 'number';
    return 'empty';
  }
  let kind: ValueKind = 'empty';
  // The common cases first (a string, a number), each test once: this runs over every column of a table.
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let k: ValueKind;
    if (typeof v === 'string') k = 'text';
    else if (typeof v === 'number') {
      if (v !== v) continue;
      k = 'number';
    } else if (v === null || v === undefined) continue;
    else if (typeof v === 'bigint') k = 'number';
    else if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) continue;
      k = 'date';
    } else k = typeof v === 'boolean' ? 'boolean' : 'text';
    if (k === kind) continue;
    if (kind !== 'empty') return 'mixed';
    kind = k;
  }
  return kind;
}

/**
 * Checks that every named column exists; otherwise fails with `column.missing` naming the
 * param, the column and the columns that do exist.
 */
export function requireColumns(table: ColumnTable, names: readonly string[], param: string): void {
  const present = new Set(table.columnNames());
  for (const name of names) {
    if (!present.has(name)) {
      const available = table.columnNames();
      throw new InsightError({
        code: 'column.missing',
        severity: 'error',
        param,
        values: { column: name, param },
        message: `Column ${JSON.stringify(name)} named in parameter "${param}" is not in the input table (it has ${available.length === 0 ? 'no columns' : available.slice(0, 12).map((c) => JSON.stringify(c)).join(', ') + (available.length > 12 ? ', ...' : '')}).`,
      });
    }
  }
}
