/**
 * Column statistics, computed once (by the load node) and passed on for previews: per column
 * its type, count of present cells, missing cells, distinct values, min, max, mean and the
 * most frequent values. Numbers and dates are summarised on a sorted Float64Array copy (native
 * sort, no per-row objects); text and booleans through one Map of counts.
 */
import type { ColumnTable } from 'arquero';
import { columnValues, isMissing, readNumbers, valueKind, type ValueKind, type Values } from './columns.ts';
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

/** How many most frequent values statistics keep by default. */
export const defaultTopCount = 5;

/** A column's statistics but its name and type. */
export type ColumnSummary = Omit<ColumnStats, 'column' | 'type'>;

/**
 * A summary a reader computed while it still held what makes it cheap (a text column's codes,
 * a number or date column's values as numbers), for exactly the array `values`: `statsOf`
 * uses it only for that very array, with that `topCount`, so a column replaced after reading
 * is summarised again.
 */
export interface KnownSummary {
  /** The values array summarised. */
  values: Values;
  /** What `valueKind` says of those values. */
  kind: ValueKind;
  /** How many top values the summary keeps. */
  topCount: number;
  /** The summary, equal to what `statsOf` computes from the values. */
  summary: ColumnSummary;
}

/** Statistics of every column; `types` (from load) names each column's type when known; `known` holds summaries a reader already computed (see KnownSummary). */
export function columnStats(table: ColumnTable, types: Readonly<Record<string, ColumnType>> = {}, topCount = defaultTopCount, known: ReadonlyMap<string, KnownSummary> = new Map()): ColumnStats[] {
  return table.columnNames().map((name) => statsOf(name, columnValues(table, name), types[name], topCount, known.get(name)));
}

/** Statistics of one column's values (from `known` when it summarises these very values). */
export function statsOf(column: string, values: Values, declared: ColumnType | undefined, topCount = defaultTopCount, known?: KnownSummary): ColumnStats {
  if (known !== undefined && known.values === values && known.topCount === topCount) {
    return { column, type: declared ?? (known.kind === 'number' ? 'number' : known.kind), ...known.summary };
  }
  const kind = valueKind(values);
  const type: ColumnStats['type'] = declared ?? (kind === 'number' ? 'number' : kind);
  if (kind === 'number') return { column, type, ...numberSummary(readNumbers(values).values, topCount) };
  if (kind === 'date') return { column, type, ...dateSummary(values, topCount) };
  return { column, type, ...countedSummary(values, topCount) };
}

/** Count, distinct, extremes, sum and most frequent values of the non-NaN numbers. */
interface NumberSummary {
  count: number;
  distinct: number;
  min: number;
  max: number;
  sum: number;
  top: { value: number; count: number }[];
}

/**
 * Summarises numbers without sorting when it can: whole numbers in a small range are counted in
 * an array; values that come in runs (an invoice's timestamp on every line) are counted per run
 * in a Map; a few distinct values (prices) are counted in a hash table of their bits; anything
 * else is sorted natively and counted by runs.
 */
function summariseNumbers(values: Float64Array, topCount: number): NumberSummary {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let integers = true;
  let runs = 0;
  let previous = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
    if (v !== previous) runs++;
    previous = v;
  }
  if (count === 0) return { count, distinct: 0, min: Number.NaN, max: Number.NaN, sum, top: [] };
  const candidates: { value: number; count: number }[] = [];
  const offer = (value: number, n: number): void => {
    // Keep the best topCount (by count, then smaller value) in a short sorted list.
    if (candidates.length === topCount && n <= candidates[candidates.length - 1]!.count) return;
    let at = candidates.length;
    while (at > 0 && (candidates[at - 1]!.count < n || (candidates[at - 1]!.count === n && candidates[at - 1]!.value > value))) at--;
    candidates.splice(at, 0, { value, count: n });
    if (candidates.length > topCount) candidates.pop();
  };
  let distinct = 0;
  const range = max - min;
  if (integers && range < Math.max(4 * count, 1 << 20)) {
    const counts = new Int32Array(range + 1);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === v) counts[v - min]!++;
    }
    for (let k = 0; k <= range; k++) {
      const n = counts[k]!;
      if (n === 0) continue;
      distinct++;
      offer(min + k, n);
    }
  } else if (runs * 4 <= count) {
    // While the runs' values rise (instants of a log in time order) each run is a new value: kept in order, no lookup; at the
    // first that does not rise they go into the Map.
    const risingValues: number[] = [];
    const risingCounts: number[] = [];
    let counts: Map<number, number> | null = null;
    let start = -1;
    for (let i = 0; i <= values.length; i++) {
      const v = i < values.length ? values[i]! : Number.NaN;
      if (start >= 0 && (v !== values[start] || i === values.length)) {
        const value = values[start]!;
        if (counts === null && (risingValues.length === 0 || value > risingValues[risingValues.length - 1]!)) {
          risingValues.push(value);
          risingCounts.push(i - start);
        } else {
          if (counts === null) {
            counts = new Map<number, number>();
            for (let k = 0; k < risingValues.length; k++) counts.set(risingValues[k]!, risingCounts[k]!);
          }
          counts.set(value, (counts.get(value) ?? 0) + (i - start));
        }
        start = -1;
      }
      if (start < 0 && v === v) start = i;
    }
    if (counts === null) {
      distinct = risingValues.length;
      for (let k = 0; k < risingValues.length; k++) offer(risingValues[k]!, risingCounts[k]!);
    } else {
      // Offered in ascending order, as the sorted path offers them (offer keeps the first of tied counts): the Map's order of first
      // appearance lost a tie at the last place to a larger value.
      distinct = counts.size;
      const ascending = Float64Array.from(counts.keys()).sort();
      for (let k = 0; k < ascending.length; k++) offer(ascending[k]!, counts.get(ascending[k]!)!);
    }
  } else if ((distinct = countDistinct(values, count, offer)) < 0) {
    distinct = 0;
    const sorted = sortedPresent(values);
    let from = 0;
    for (let i = 1; i <= sorted.length; i++) {
      if (i === sorted.length || sorted[i] !== sorted[from]) {
        distinct++;
        offer(sorted[from]!, i - from);
        from = i;
      }
    }
  }
  return { count, distinct, min, max, sum, top: candidates };
}

const bitsView = new Float64Array(1);
const bitsWords = new Uint32Array(bitsView.buffer);

/**
 * Counts the non-NaN values of `values` in an open-addressing table keyed by their bits (0 and
 * −0 as one, as a sort would), offering each distinct value and its count; returns the number
 * of distinct values, or −1 without offering any when there are more than 2^16 or more than a
 * quarter of `count` (then sorting costs less than the table).
 */
function countDistinct(values: Float64Array, count: number, offer: (value: number, n: number) => void): number {
  const limit = Math.min(1 << 16, count >> 2);
  let size = 1024;
  while (size < limit * 2) size *= 2;
  const mask = size - 1;
  const keys = new Float64Array(size);
  const counts = new Int32Array(size);
  let distinct = 0;
  for (let i = 0; i < values.length; i++) {
    let v = values[i]!;
    if (v !== v) continue;
    if (v === 0) v = 0;
    bitsView[0] = v;
    let slot = slotOf(mask);
    for (;;) {
      const n = counts[slot]!;
      if (n === 0) {
        if (++distinct > limit) return -1;
        keys[slot] = v;
        counts[slot] = 1;
        break;
      }
      if (keys[slot] === v) {
        counts[slot] = n + 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  // Offered in ascending order, as the sorted path offers them (offer keeps the first of tied counts).
  const found = new Float64Array(distinct);
  let k = 0;
  for (let s = 0; s < size; s++) if (counts[s]! > 0) found[k++] = keys[s]!;
  found.sort();
  for (let j = 0; j < distinct; j++) {
    const v = found[j]!;
    bitsView[0] = v;
    let slot = slotOf(mask);
    while (keys[slot] !== v) slot = (slot + 1) & mask;
    offer(v, counts[slot]!);
  }
  return distinct;
}

/** The table slot of the value in `bitsView`. */
function slotOf(mask: number): number {
  let h = Math.imul(bitsWords[0]! ^ Math.imul(bitsWords[1]!, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae35) & mask;
}

/** A column summary from a number summary of `cells` cells; `shown` and `label` present extremes and top values, `withMean` keeps the mean. */
function summaryOf(cells: number, summary: NumberSummary, shown: (v: number) => number | string, label: (v: number) => string, withMean: boolean): ColumnSummary {
  const n = summary.count;
  return {
    count: n,
    missing: cells - n,
    distinct: summary.distinct,
    min: n > 0 ? shown(summary.min) : null,
    max: n > 0 ? shown(summary.max) : null,
    mean: withMean && n > 0 ? summary.sum / n : null,
    top: summary.top.map((t) => ({ value: label(t.value), count: t.count })),
  };
}

/** The summary of a number column read as numbers (NaN where missing, every other value finite, as `readNumbers` gives them). */
export function numberSummary(values: Float64Array, topCount: number): ColumnSummary {
  return summaryOf(values.length, summariseNumbers(values, topCount), (v) => v, String, true);
}

function dateSummary(values: Values, topCount: number): ColumnSummary {
  const ms = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    ms[i] = v instanceof Date ? v.getTime() : Number.NaN;
  }
  return instantSummary(ms, topCount);
}

/** The summary of a date column from its instants in epoch ms (NaN where missing). */
export function instantSummary(ms: Float64Array, topCount: number): ColumnSummary {
  const iso = (v: number): string => new Date(v).toISOString();
  return summaryOf(ms.length, summariseNumbers(ms, topCount), iso, iso, false);
}

function countedSummary(values: Values, topCount: number): ColumnSummary {
  const counts = new Map<unknown, number>();
  let missing = 0;
  // A run of one value (an invoice's lines repeat its number and country) is counted once in the Map.
  let run: unknown = null;
  let runLength = 0;
  const flush = (): void => {
    if (runLength === 0) return;
    const key = run instanceof Date ? run.getTime() : run;
    counts.set(key, (counts.get(key) ?? 0) + runLength);
    runLength = 0;
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (runLength > 0 && v === run) {
      runLength++;
      continue;
    }
    flush();
    if (isMissing(v)) {
      missing++;
      continue;
    }
    run = v;
    runLength = 1;
  }
  flush();
  const top = topEntries(counts, topCount).map(([value, count]) => ({ value: typeof value === 'string' ? value : String(value), count }));
  return { count: values.length - missing, missing, distinct: counts.size, min: null, max: null, mean: null, top };
}

/**
 * The topCount largest counts, ties to the earlier entry (a Map iterates in order of first
 * appearance), as a stable sort of every entry would give, without sorting them all.
 */
function topEntries<K>(entries: Iterable<[K, number]>, topCount: number): [K, number][] {
  const best: [K, number][] = [];
  if (topCount <= 0) return best;
  for (const entry of entries) {
    const n = entry[1];
    if (best.length === topCount && n <= best[best.length - 1]![1]) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]![1] < n) at--;
    best.splice(at, 0, entry);
    if (best.length > topCount) best.pop();
  }
  return best;
}

/**
 * The summary of a text column from codes: `ids[i]` is 0 where cell i is missing, else k + 1
 * for `strings[k]`, each distinct string having one code. The same as the values' summary:
 * counted per code, and offered in order of each code's first row, as the Map of values is.
 */
export function codedTextSummary(ids: Int32Array, strings: readonly string[], topCount: number): ColumnSummary {
  const counts = new Int32Array(strings.length + 1);
  for (let i = 0; i < ids.length; i++) counts[ids[i]!]!++;
  const missing = counts[0]!;
  let distinct = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k]! > 0) distinct++;
  // Codes in order of first appearance, without sorting: the row where a code first occurs offers it.
  const firstSeen: [string, number][] = [];
  const seen = new Uint8Array(counts.length);
  for (let i = 0; i < ids.length && firstSeen.length < distinct; i++) {
    const id = ids[i]!;
    if (id === 0 || seen[id] === 1) continue;
    seen[id] = 1;
    firstSeen.push([strings[id - 1]!, counts[id]!]);
  }
  const top = topEntries(firstSeen, topCount).map(([value, count]) => ({ value, count }));
  return { count: ids.length - missing, missing, distinct, min: null, max: null, mean: null, top };
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
