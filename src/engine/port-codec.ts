/**
 * Turning port values into things that leave the engine: JSON-safe previews for the page
 * (first rows, never the full table), and files for export and the CLI (`<node>.<port>.csv`
 * for tables, `.json` for everything else; models through their kind's writer).
 */
import { ColumnTable } from 'arquero';
import { isModelValue, type JsonValue, type ModelValue } from './ports.ts';
import { typedToJson } from './typed-json.ts';

/** True when a value is an Arquero table. */
export function isTable(value: unknown): value is ColumnTable {
  return value instanceof ColumnTable;
}

/** Converts any port value to JSON: tables become {columns, rows}, typed arrays arrays of numbers (or, `typed: 'base64'`, TypedJson: bit-exact and compact). */
export function toJsonValue(value: unknown, depth = 0, rowLimit = Infinity, typed: 'numbers' | 'base64' = 'numbers'): JsonValue {
  if (depth > 32) return '[nested too deeply]';
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (isTable(value)) return tableToJson(value, rowLimit);
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) return null;
    const packed = typed === 'base64' ? typedToJson(value) : null;
    if (packed) return { $typed: packed.$typed, width: packed.width, base64: packed.base64 };
    const out: JsonValue[] = [];
    const view = value as unknown as ArrayLike<number | bigint>;
    const limit = Math.min(view.length, rowLimit === Infinity ? view.length : rowLimit * 64);
    for (let i = 0; i < limit; i++) out.push(toJsonValue(view[i], depth + 1));
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, rowLimit === Infinity ? undefined : rowLimit * 64).map((item) => toJsonValue(item, depth + 1, rowLimit, typed));
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toJsonValue(v, depth + 1, rowLimit, typed)]));
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'function') continue;
      out[key] = toJsonValue(item, depth + 1, rowLimit, typed);
    }
    return out;
  }
  return null;
}

/** A table as `{ columns, rows, totalRows }` with at most `limit` rows. */
export function tableToJson(table: ColumnTable, limit = Infinity, offset = 0): { columns: string[]; rows: JsonValue[][]; totalRows: number } {
  const columns = table.columnNames();
  const total = table.numRows();
  const end = Math.min(total, offset + limit);
  const arrays = columns.map((name) => table.array(name));
  const rows: JsonValue[][] = [];
  // Row order follows the table's current order (orderby is materialised by Arquero's array()).
  for (let r = offset; r < end; r++) rows.push(arrays.map((col) => toJsonValue(col[r], 1)));
  return { columns, rows, totalRows: total };
}

/** Prefixes cells that spreadsheet programs would read as formulas (CSV injection guard). */
function guardCell(value: unknown): unknown {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value)) return `'${value}`;
  return value;
}

/** A table as CSV text (dates in ISO, formula-like text cells guarded). */
export function tableToCsv(table: ColumnTable): string {
  // Arquero looks each column up in `format`; without a prototype, "constructor" is not a formatter.
  const format: Record<string, (value: unknown) => unknown> = Object.create(null);
  for (const name of table.columnNames()) format[name] = guardCell;
  return table.toCSV({ format });
}

/**
 * A table as CSV in pieces of `rowsPerPiece` rows (the header with the first), whose
 * concatenation is `tableToCsv(table)`: a table of a 1 GB file is more text than one string holds.
 * Small pieces, so that each piece's strings die young instead of piling up in V8's old space
 * until a full collection (262,144 rows a piece held ~130 MB of dead text while writing a
 * 1M-row table). A filtered or ordered table (clean's output is a selection over its input) is
 * written a piece of its selected rows at a time, each piece copied out (`reify`) into a small
 * table first: Arquero's `toCSV` offset on a filter walks the bits from row 0 for every piece.
 * Without `header`, no header line (the rows of a table written a batch at a time after its
 * first).
 */
export function* tableCsvPieces(table: ColumnTable, rowsPerPiece = 8_192, header = true): Generator<string> {
  const format: Record<string, (value: unknown) => unknown> = Object.create(null);
  for (const name of table.columnNames()) format[name] = guardCell;
  if (table.isFiltered() || table.isOrdered()) {
    const rows = table.indices();
    const piece = (offset: number): ColumnTable => table.reify(Array.from(rows.subarray(offset, offset + rowsPerPiece)));
    yield piece(0).toCSV({ format, header });
    for (let offset = rowsPerPiece; offset < rows.length; offset += rowsPerPiece) yield piece(offset).toCSV({ format, header: false });
    return;
  }
  const rows = table.numRows();
  yield table.toCSV({ format, limit: rowsPerPiece, offset: 0, header });
  for (let offset = rowsPerPiece; offset < rows; offset += rowsPerPiece) yield table.toCSV({ format, limit: rowsPerPiece, offset, header: false });
}

/** A file made from a port value. */
export interface PortFile {
  /** Suggested file name, `<node>.<port>.csv` or `.json`. */
  filename: string;
  /** MIME type. */
  mime: string;
  /** File contents. */
  text: string;
}

/** The file for one output port of one node. */
export function portFile(nodeId: string, port: string, value: unknown): PortFile {
  if (isTable(value)) return { filename: `${nodeId}.${port}.csv`, mime: 'text/csv', text: tableToCsv(value) };
  // A model's typed arrays (weights, trees) as base64, on one line: bit-exact, and a fraction of the text of their digits.
  if (isModelValue(value)) return { filename: `${nodeId}.${port}.json`, mime: 'application/json', text: `${JSON.stringify(toJsonValue(value, 0, Infinity, 'base64'))}\n` };
  return { filename: `${nodeId}.${port}.json`, mime: 'application/json', text: `${JSON.stringify(toJsonValue(value), null, 2)}\n` };
}

/** A file to download made from a port value: text, or bytes (a model may be several files). */
export interface ExportFile {
  /** File name. */
  filename: string;
  /** MIME type. */
  mime: string;
  /** File contents. */
  data: string | Uint8Array;
}

/** Writes a model port value (of the model kind it is registered for) as files, e.g. model.json + weights.bin. */
export type ModelWriter = (model: ModelValue) => Promise<ExportFile[]>;

/**
 * The files of one output port: a model through the writer registered for its model kind
 * (node kinds declare writers as `modelFiles`), anything else as the one file portFile makes.
 */
export async function portFiles(nodeId: string, port: string, value: unknown, writers: ReadonlyMap<string, ModelWriter>): Promise<ExportFile[]> {
  const writer = isModelValue(value) ? writers.get(value.kind) : undefined;
  if (writer && isModelValue(value)) return writer(value);
  const { filename, mime, text } = portFile(nodeId, port, value);
  return [{ filename, mime, data: text }];
}

/** What the page receives to show a port: never the full table. */
export type PortPreview =
  | { kind: 'table'; columns: string[]; types: string[]; rows: JsonValue[][]; totalRows: number; offset: number }
  | { kind: 'json'; value: JsonValue };

/** A preview of a port value: a window of rows for tables, a capped JSON form otherwise. */
export function portPreview(value: unknown, offset = 0, limit = 100): PortPreview {
  if (isTable(value)) {
    const { columns, rows, totalRows } = tableToJson(value, limit, offset);
    const types = columns.map((name) => columnType(value, name));
    return { kind: 'table', columns, types, rows, totalRows, offset };
  }
  return { kind: 'json', value: toJsonValue(value, 0, 200) };
}

/** The broad type of a column from its first non-null value. */
function columnType(table: ColumnTable, name: string): string {
  const values = table.array(name);
  for (let i = 0; i < values.length && i < 1000; i++) {
    const v: unknown = values[i];
    if (v === null || v === undefined) continue;
    if (v instanceof Date) return 'date';
    return typeof v;
  }
  return 'empty';
}
