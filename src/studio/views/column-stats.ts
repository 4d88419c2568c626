/**
 * Column statistics for the table view's header: missing count, distinct count, mean, range
 * and a small histogram (numbers) or top values (text), from the rows the page received.
 */
import type { JsonValue } from '../../engine/ports.ts';

/** Statistics of one column. */
export type ColumnStats =
  | {
      /** Numeric column. */
      kind: 'number';
      /** Rows looked at. */
      count: number;
      /** Null, missing or non-finite cells. */
      missing: number;
      /** Distinct non-missing values. */
      distinct: number;
      /** Mean of the finite values. */
      mean: number;
      /** Smallest finite value. */
      min: number;
      /** Largest finite value. */
      max: number;
      /** Counts per equal-width bin between min and max. */
      bins: number[];
    }
  | {
      /** Text, boolean or date column. */
      kind: 'category';
      /** Rows looked at. */
      count: number;
      /** Null or missing cells. */
      missing: number;
      /** Distinct non-missing values. */
      distinct: number;
      /** Most frequent values with their counts, most frequent first (ties by value). */
      top: [string, number][];
    };

/** Computes statistics of column `index` over `rows`. Numbers get `binCount` histogram bins. */
export function columnStats(rows: readonly (readonly JsonValue[])[], index: number, binCount = 12, topCount = 5): ColumnStats {
  let missing = 0;
  const numbers: number[] = [];
  const others: string[] = [];
  for (const row of rows) {
    const value = row[index];
    if (value === null || value === undefined) missing++;
    else if (typeof value === 'number') {
      if (Number.isFinite(value)) numbers.push(value);
      else missing++;
    } else others.push(typeof value === 'string' ? value : JSON.stringify(value));
  }
  if (others.length === 0 && numbers.length > 0) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of numbers) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const bins = new Array<number>(binCount).fill(0);
    const width = max - min;
    for (const v of numbers) {
      // A constant column puts everything in the first bin instead of dividing by zero.
      const b = width > 0 ? Math.min(binCount - 1, Math.floor(((v - min) / width) * binCount)) : 0;
      bins[b] = (bins[b] ?? 0) + 1;
    }
    return { kind: 'number', count: rows.length, missing, distinct: new Set(numbers).size, mean: sum / numbers.length, min, max, bins };
  }
  const counts = new Map<string, number>();
  for (const v of [...others, ...numbers.map(String)]) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, topCount);
  return { kind: 'category', count: rows.length, missing, distinct: counts.size, top };
}

/** Renders table rows as CSV text (RFC 4180 quoting; formula-like cells guarded). */
export function rowsToCsv(columns: readonly string[], rows: readonly (readonly JsonValue[])[]): string {
  const quote = (value: JsonValue | undefined): string => {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    // Spreadsheets run cells starting with = + - @ as formulas; numbers are left alone.
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.map((c) => quote(c)).join(','), ...rows.map((r) => columns.map((_, i) => quote(r[i])).join(','))].join('\n') + '\n';
}
