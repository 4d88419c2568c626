/**
 * Column statistics, computed once (by the load node) and passed on for previews: per column
 * its type, count of present cells, missing cells, distinct values, min, max, mean and the
 * most frequent values. Numbers and dates are summarised on a sorted Float64Array copy (native
 * sort, no per-row objects); text and booleans through one Map of counts.
 */
import type { ColumnTable } from 'arquero';
import { columnValues, isMissing, readNumbers, valueKind, type Values } from './columns.ts';
import type { ColumnType } from './infer.ts';
import { makeTable } from './columns.ts';
import { sortedPresent } from './quantile.ts';

/** Statistics of one column. */
export interface ColumnStats {
  /** Column name. */
  column: string;
  /** Column type (from load), or judged from the values: number, date, boolean, text, mixed, empty. */
  type: ColumnType | 'mixed' | 'empty';
  /** Present (non-missing) cells. */
  count: number;
  /** Missing cells. */
  missing: number;
  /** Distinct present values. */
  distinct: number;
  /** Smallest value: a number, an ISO instant for dates, null for text and booleans. */
  min: number | string | null;
  /** Largest value, as min. */
  max: number | string | null;
  /** Mean of numbers (null for other types). */
  mean: number | null;
  /** Most frequent values, most frequent first (ties: smaller value or first seen). */
  top: { value: string; count: number }[];
}

/** Statistics of every column; `types` (from load) names each column's type when known. */
export function columnStats(table: ColumnTable, types: Readonly<Record<string, ColumnType>> = {}, topCount = 5): ColumnStats[] {
  return table.columnNames().map((name) => statsOf(name, columnValues(table, name), types[name], topCount));
}

/** Statistics of one column's values. */
export function statsOf(column: string, values: Values, declared: ColumnType | undefined, topCount = 5): ColumnStats {
  const kind = valueKind(values);
  const type: ColumnStats['type'] = declared ?? (kind === 'number' ? 'number' : kind);
  if (kind === 'number') return numericStats(column, type, values, topCount);
  if (kind === 'date') return dateStats(column, type, values, topCount);
  return countedStats(column, type, values, topCount);
}

function numericStats(column: string, type: ColumnStats['type'], values: Values, topCount: number): ColumnStats {
  const read = readNumbers(values);
  const present = sortedPresent(read.values);
  const n = present.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += present[i]!;
  return {
    column,
    type,
    count: n,
    missing: values.length - n,
    distinct: distinctSorted(present),
    min: n > 0 ? present[0]! : null,
    max: n > 0 ? present[n - 1]! : null,
    mean: n > 0 ? sum / n : null,
    top: topSorted(present, topCount, (v) => String(v)),
  };
}

function dateStats(column: string, type: ColumnStats['type'], values: Values, topCount: number): ColumnStats {
  const ms = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    ms[i] = v instanceof Date ? v.getTime() : Number.NaN;
  }
  const present = sortedPresent(ms);
  const n = present.length;
  const iso = (v: number): string => new Date(v).toISOString();
  return {
    column,
    type,
    count: n,
    missing: values.length - n,
    distinct: distinctSorted(present),
    min: n > 0 ? iso(present[0]!) : null,
    max: n > 0 ? iso(present[n - 1]!) : null,
    mean: null,
    top: topSorted(present, topCount, iso),
  };
}

function countedStats(column: string, type: ColumnStats['type'], values: Values, topCount: number): ColumnStats {
  const counts = new Map<unknown, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing++;
      continue;
    }
    const key = v instanceof Date ? v.getTime() : v;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Map iteration follows first appearance, so the stable sort breaks ties by first seen.
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topCount)
    .map(([value, count]) => ({ value: typeof value === 'string' ? value : String(value), count }));
  return { column, type, count: values.length - missing, missing, distinct: counts.size, min: null, max: null, mean: null, top };
}

function distinctSorted(sorted: Float64Array): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/** The most frequent values of a sorted array (runs), ties to the smaller value. */
function topSorted(sorted: Float64Array, topCount: number, label: (v: number) => string): { value: string; count: number }[] {
  const runs: { value: number; count: number }[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || sorted[i] !== sorted[start]) {
      const count = i - start;
      // Keep only the best topCount runs seen so far (insertion into a short sorted list).
      if (runs.length < topCount || count > runs[runs.length - 1]!.count) {
        let at = runs.length;
        while (at > 0 && runs[at - 1]!.count < count) at--;
        runs.splice(at, 0, { value: sorted[start]!, count });
        if (runs.length > topCount) runs.pop();
      }
      start = i;
    }
  }
  return runs.map((r) => ({ value: label(r.value), count: r.count }));
}

/** Statistics as a table: one row per column (top values as JSON text). */
export function statsTable(stats: readonly ColumnStats[]): ColumnTable {
  return makeTable(
    ['column', 'type', 'count', 'missing', 'distinct', 'min', 'max', 'mean', 'top'],
    [
      stats.map((s) => s.column),
      stats.map((s) => s.type),
      stats.map((s) => s.count),
      stats.map((s) => s.missing),
      stats.map((s) => s.distinct),
      stats.map((s) => s.min),
      stats.map((s) => s.max),
      stats.map((s) => s.mean),
      stats.map((s) => JSON.stringify(s.top.map((t) => [t.value, t.count]))),
    ],
  );
}
