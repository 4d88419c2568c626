/**
 * Reading port previews that arrive as JSON (metrics, segments, models, transforms): tables
 * inside them come as `{columns, rows, totalRows}`; these helpers turn them into records for
 * Plot and find columns by name. Pure and tested.
 */
import type { JsonValue } from '../../engine/ports.ts';

/** A table found inside a JSON preview. */
export interface JsonTable {
  /** Column names. */
  columns: string[];
  /** Rows as arrays, in column order. */
  rows: JsonValue[][];
  /** Rows as records keyed by column name. */
  records: Record<string, JsonValue>[];
}

/** Any parsed JSON (e.g. `JSON.parse` output) as a typed JsonValue; non-JSON values become null. */
export function asJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(asJsonValue);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = asJsonValue(v);
    return out;
  }
  return null;
}

/** A JSON object, or undefined. */
export function record(value: JsonValue | undefined): { [key: string]: JsonValue } | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** A `{columns, rows}` table inside a JSON value, or undefined. */
export function jsonTable(value: JsonValue | undefined): JsonTable | undefined {
  const r = record(value);
  const columns = r?.columns;
  const rows = r?.rows;
  if (!Array.isArray(columns) || !Array.isArray(rows)) return undefined;
  const names = columns.map((c) => String(c));
  const cleanRows = rows.filter((row): row is JsonValue[] => Array.isArray(row));
  return { columns: names, rows: cleanRows, records: cleanRows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null]))) };
}

/** The first of `candidates` that is a column name, else undefined. */
export function pickColumn(columns: readonly string[], candidates: readonly string[]): string | undefined {
  return candidates.find((c) => columns.includes(c));
}

/** A finite number from a JSON value, else null. */
export function num(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Headline numbers (finite or null) of a record, in their order. */
export function headline(value: JsonValue | undefined): [string, number | null][] {
  const r = record(value);
  if (!r) return [];
  return Object.entries(r).filter(([, v]) => v === null || typeof v === 'number').map(([k, v]) => [k, num(v)]);
}

/** Scalar fields of a record (numbers, strings, booleans), for a details list. */
export function scalars(value: JsonValue | undefined): [string, string][] {
  const r = record(value);
  if (!r) return [];
  return Object.entries(r).flatMap(([k, v]): [string, string][] => {
    if (typeof v === 'number') return [[k, Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))]];
    if (typeof v === 'string' || typeof v === 'boolean') return [[k, String(v)]];
    return [];
  });
}

/** Epoch records from live events or a model's stored history: `{epoch, loss, valLoss, ...}`. */
export function epochRecords(items: readonly JsonValue[]): { epoch: number; series: string; value: number; fold: number }[] {
  const out: { epoch: number; series: string; value: number; fold: number }[] = [];
  for (const item of items) {
    const r = record(item);
    const epoch = num(r?.epoch);
    if (!r || epoch === null) continue;
    const fold = num(r.fold) ?? 0;
    for (const [key, v] of Object.entries(r)) {
      if (key === 'epoch' || key === 'fold') continue;
      const value = num(v);
      if (value !== null) out.push({ epoch, series: key, value, fold });
    }
  }
  return out;
}
