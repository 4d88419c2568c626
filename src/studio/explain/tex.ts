/**
 * Small helpers to write TeX safely from data: user column names become escaped `\text{}`,
 * numbers get a short fixed form. Nothing from a document is ever inserted as raw TeX.
 */
import type { PortPreview } from '../../engine/port-codec.ts';
import type { JsonValue } from '../../engine/ports.ts';

/** Escapes text for use inside `\text{...}`. */
export function texText(value: string): string {
  return value.replace(/[\\{}_^#$%&~]/g, (ch) => {
    switch (ch) {
      case '\\':
        return '\\textbackslash{}';
      case '~':
        return '\\textasciitilde{}';
      case '^':
        return '\\textasciicircum{}';
      default:
        return `\\${ch}`;
    }
  });
}

/** A number for a formula: at most 4 significant digits, no exponent for everyday sizes. */
export function texNumber(value: number): string {
  if (!Number.isFinite(value)) return '\\text{NaN}';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-4) {
    const [mantissa, exponent] = value.toExponential(3).split('e');
    return `${Number(mantissa)}\\times 10^{${Number(exponent)}}`;
  }
  return String(Number(value.toPrecision(4)));
}

/** A number in parentheses when negative (so `x - (-2)` reads right). */
export function texTerm(value: number): string {
  const text = texNumber(value);
  return value < 0 ? `(${text})` : text;
}

/** A JSON object, or undefined. */
export function asRecord(value: JsonValue | undefined): { [key: string]: JsonValue } | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** A finite number, or undefined. */
export function asNumber(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The table window of a preview, or undefined when it is not a table. */
export function tableOf(preview: PortPreview | undefined): Extract<PortPreview, { kind: 'table' }> | undefined {
  return preview?.kind === 'table' ? preview : undefined;
}

/** The JSON value of a preview, or undefined when it is a table. */
export function jsonOf(preview: PortPreview | undefined): JsonValue | undefined {
  return preview?.kind === 'json' ? preview.value : undefined;
}

/** The value of a cell by column name in row `row` of a table preview. */
export function cell(table: Extract<PortPreview, { kind: 'table' }>, row: number, column: string): JsonValue | undefined {
  const index = table.columns.indexOf(column);
  if (index < 0) return undefined;
  return table.rows[row]?.[index];
}

/** Column names that look like an entity id, best first. */
const idColumns = ['customer_id', 'customerId', 'customer', 'id', 'user_id', 'client_id'];

/** A readable id for row `row` of a table: its id column, else "#row+1". */
export function rowId(table: Extract<PortPreview, { kind: 'table' }>, row: number): string {
  for (const name of idColumns) {
    const value = cell(table, row, name);
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return `#${row + 1}`;
}

/**
 * A fitted per-column statistic from a transform's params, whichever common layout the node
 * used: `{min: {col: v}}`, `{columns: {col: {min: v}}}`, `{columns: {col: {stats: {min: v}}}}`,
 * `{stats: {col: {min: v}}}`, or
 * parallel arrays `{columns: [..], min: [..]}`.
 */
export function columnStat(params: { [key: string]: JsonValue } | undefined, column: string, stat: string): number | undefined {
  if (!params) return undefined;
  const direct = asRecord(params[stat]);
  if (direct) return asNumber(direct[column]);
  for (const holder of ['columns', 'stats', 'fitted', 'scalers']) {
    const byColumn = asRecord(params[holder]);
    const entry = byColumn ? asRecord(byColumn[column]) : undefined;
    // e.g. normalise: {columns: {col: {center, scale, stats: {min, max}}}}
    if (entry) return asNumber(entry[stat]) ?? asNumber(asRecord(entry.stats)?.[stat]);
  }
  const names = params.columns;
  const values = params[stat];
  if (Array.isArray(names) && Array.isArray(values)) {
    const i = names.indexOf(column);
    return i >= 0 ? asNumber(values[i]) : undefined;
  }
  return undefined;
}

/** The column names a transform was fitted on, in its own order. */
export function transformColumns(params: { [key: string]: JsonValue } | undefined): string[] {
  if (!params) return [];
  const cols = params.columns;
  if (Array.isArray(cols)) return cols.filter((c): c is string => typeof c === 'string');
  for (const holder of ['columns', 'stats', 'fitted', 'scalers', 'min', 'mean', 'weights']) {
    const record = asRecord(params[holder]);
    if (record) return Object.keys(record);
  }
  return [];
}
