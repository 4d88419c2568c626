/**
 * Cell and id readers the node kinds share: how a cell becomes a join key, a number, a 0/1
 * label or a time, and per-id means over a table. Each reader states its own rule for missing
 * values; they differ on purpose (e.g. `idKey` joins `12583.0` with `12583`, `cellKey` keeps
 * the text as written), so each caller keeps the rule its outputs were built with.
 */
import type { ColumnTable } from 'arquero';
import { toEpochMs } from './dates.ts';
import { parseLooseNumber } from './numbers.ts';

/** The key of an id cell: numbers print without a trailing `.0` (so `12583.0` joins `12583`); blanks are null. */
export function idKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return null;
    // Float-formatted integer ids (Online Retail writes CustomerID as "17850.0").
    return /^-?\d+\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
}

/** A cell as a join key: '' for missing; numbers and text by their (trimmed) text; Dates by ISO text. */
export function cellKey(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  return String(v).trim();
}

/** A numeric cell: numbers as they are, text through the loose number reader, else NaN. */
export function numericCell(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseLooseNumber(value) ?? Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number.NaN;
}

/** A label cell as 0/1, NaN when missing; undefined when it is not a binary value. */
export function labelCell(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value === 0 || value === 1 ? value : Number.isNaN(value) ? Number.NaN : undefined;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === '1' || s === 'true' || s === 'yes') return 1;
    if (s === '0' || s === 'false' || s === 'no') return 0;
  }
  return undefined;
}

/**
 * A time cell as epoch ms (NaN when it is none), through the data layer's shared reader
 * (src/data/dates.ts: Dates, epoch-ms numbers, ISO and A/B/YYYY text, UTC unless a zone is named).
 */
export function timeValue(v: unknown): number {
  return toEpochMs(typeof v === 'string' ? v.trim() : v) ?? Number.NaN;
}

/** The id of each row as text ('' when missing), or the 1-based row number when no id column is named. */
export function idTexts(t: ColumnTable, idColumn: string): string[] {
  const n = t.numRows();
  if (idColumn === '') return Array.from({ length: n }, (_, i) => String(i + 1));
  const get = t.getter(idColumn);
  const out: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = get(i);
    out[i] = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  }
  return out;
}

/** Whether every non-missing value of a column is a number (and at least one exists). */
export function isNumericColumn(t: ColumnTable, name: string): boolean {
  const get = t.getter(name);
  let seen = false;
  for (let i = 0; i < t.numRows(); i++) {
    const v: unknown = get(i);
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') return false;
    seen = true;
  }
  return seen;
}

/** Whether any of a column's first `scan` cells is a number (a quick look, not a type check). */
export function hasNumberCells(table: ColumnTable, name: string, scan = 1000): boolean {
  const cells = table.array(name);
  for (let i = 0; i < cells.length && i < scan; i++) if (typeof cells[i] === 'number') return true;
  return false;
}

/** Reads a column as numbers; non-numbers become NaN (callers decide what a NaN means). */
export function numericValues(t: ColumnTable, name: string): Float64Array {
  const get = t.getter(name);
  const out = new Float64Array(t.numRows());
  for (let i = 0; i < out.length; i++) {
    const v: unknown = get(i);
    out[i] = typeof v === 'number' ? v : Number.NaN;
  }
  return out;
}

/** Adds v to the running sum and count of `key`. */
function accumulate(acc: Map<string, { s: number; c: number }>, key: string, v: number): void {
  const a = acc.get(key) ?? { s: 0, c: 0 };
  a.s += v;
  a.c += 1;
  acc.set(key, a);
}

/** Mean per id (ids as `idTexts` reads them) of a numeric column; rows with a missing id or a non-finite value are skipped. */
export function meanById(t: ColumnTable, idColumn: string, valueColumn: string): Map<string, number> {
  const ids = idTexts(t, idColumn);
  const values = numericValues(t, valueColumn);
  const sums = new Map<string, { s: number; c: number }>();
  ids.forEach((id, i) => {
    const v = values[i]!;
    if (id === '' || !Number.isFinite(v)) return;
    accumulate(sums, id, v);
  });
  return new Map([...sums].map(([id, { s, c }]) => [id, s / c]));
}

/** Mean per id (ids as `cellKey` reads them) of the finite numbers of a column; other rows are skipped. */
export function meanByKey(t: ColumnTable, idColumn: string, valueColumn: string): Map<string, number> {
  const getId = t.getter(idColumn);
  const getValue = t.getter(valueColumn);
  const acc = new Map<string, { s: number; c: number }>();
  for (let i = 0; i < t.numRows(); i++) {
    const id = cellKey(getId(i));
    const v: unknown = getValue(i);
    if (id === '' || typeof v !== 'number' || !Number.isFinite(v)) continue;
    accumulate(acc, id, v);
  }
  return new Map([...acc].map(([id, { s, c }]) => [id, s / c]));
}

/** A column named like an id (customer_id, CustomerID, id, ...), or '' when none is. */
export function idLikeColumn(names: readonly string[]): string {
  return names.find((c) => /(^|_|\b)id$|^id|customerid/i.test(c)) ?? '';
}

/** A cell that is not a finite number: where it is, what it holds, and whether it is missing (empty, NaN or infinite) rather than text or another type. */
export interface BadNumberCell {
  /** Column name. */
  column: string;
  /** 0-based row. */
  row: number;
  /** The cell. */
  value: unknown;
  /** True for null, undefined and non-finite numbers. */
  missing: boolean;
}

/** The columns as a row-major n × d Float64Array, or the first cell (column by column) that is not a finite number. */
export function numericMatrix(t: ColumnTable, columns: readonly string[]): { values: Float64Array; bad: null } | { values: null; bad: BadNumberCell } {
  const n = t.numRows();
  const d = columns.length;
  const values = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const column = columns[j] ?? '';
    const get = t.getter(column);
    for (let i = 0; i < n; i++) {
      const v: unknown = get(i);
      if (typeof v !== 'number') return { values: null, bad: { column, row: i, value: v, missing: v === null || v === undefined } };
      if (!Number.isFinite(v)) return { values: null, bad: { column, row: i, value: v, missing: true } };
      values[i * d + j] = v;
    }
  }
  return { values, bad: null };
}
