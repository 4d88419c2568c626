/**
 * Acquisition cohorts: each customer belongs to the period (UTC calendar month, or ISO week
 * from Monday) of their first purchase; for every cohort and every period since (0 = the
 * acquisition period) it counts the customers active (with at least one purchase then),
 * retention = active / cohort size, revenue, revenue per cohort customer and per active one.
 *
 * A purchase is a row with a customer, a time and — when a value is given — a finite value > 0;
 * rows with a value ≤ 0 (returns, cancellations) and rows without a customer or time are left
 * out and counted, so a return neither acquires nor retains anyone.
 */
import type { ColumnTable } from 'arquero';
import { makeTable } from './columns.ts';
import { errorTemplate, warningTemplate, DataError } from './issues.ts';

/** Period units of a cohort analysis. */
export const cohortPeriods = ['month', 'week'] as const;

/** One of cohortPeriods. */
export type CohortPeriod = (typeof cohortPeriods)[number];

/** Messages of the cohort kernel. */
export const cohortMessages = {
  notNumeric: errorTemplate('Column {column} must hold numbers; row {row} holds {value}.'),
  badTime: errorTemplate('Time column {column} has {value} at row {row}, which is not a date or time.'),
  skippedRows: warningTemplate('{skipped} of {rows} rows left out: {missing} without a customer or time, {nonPositive} with a value that is missing or ≤ 0 (returns).'),
  noPurchases: warningTemplate('No purchase is left to form cohorts; the tables are empty.'),
} as const;

const DAY = 86_400_000;

/** The period index of an epoch-ms time: months since 1970-01, or weeks since Monday 1969-12-29. */
export function periodIndex(ms: number, period: CohortPeriod): number {
  if (period === 'month') {
    const d = new Date(ms);
    return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
  }
  // 1970-01-01 was a Thursday; Monday 1969-12-29 is 3 days earlier.
  return Math.floor((ms + 3 * DAY) / (7 * DAY));
}

/** The label of a period index: "2011-03" for a month, the Monday "2011-03-07" for a week. */
export function periodLabel(index: number, period: CohortPeriod): string {
  if (period === 'month') {
    const year = 1970 + Math.floor(index / 12);
    const month = index - (year - 1970) * 12 + 1;
    return `${year}-${String(month).padStart(2, '0')}`;
  }
  return new Date(index * 7 * DAY - 3 * DAY).toISOString().slice(0, 10);
}

/** Purchases as parallel arrays. */
export interface Purchases {
  /** Customer key per row ('' = missing). */
  customers: string[];
  /** Epoch ms per row (NaN = missing). */
  times: Float64Array;
  /** Value per row (revenue); null = every row is worth 0 and counts as a purchase. */
  values: Float64Array | null;
}

/** A cohort analysis in long form: one entry per (cohort, period since) with activity. */
export interface CohortResult {
  /** Cohort period index per entry. */
  cohort: Int32Array;
  /** Periods since acquisition per entry. */
  since: Int32Array;
  /** Customers active per entry. */
  active: Int32Array;
  /** Revenue per entry. */
  revenue: Float64Array;
  /** Cohort size per entry. */
  size: Int32Array;
  /** Cohort period indexes present, ascending. */
  cohorts: Int32Array;
  /** Size of each of `cohorts`. */
  cohortSizes: Int32Array;
  /** Last period index with any purchase (the data's end). */
  lastPeriod: number;
  /** Rows left out: no customer or time. */
  missing: number;
  /** Rows left out: value missing or ≤ 0. */
  nonPositive: number;
}

/** Counts cohorts × periods since acquisition (see the file header). Entries sorted by cohort, then period since. */
export function cohortTable(p: Purchases, period: CohortPeriod): CohortResult {
  const n = p.customers.length;
  const ids = new Map<string, number>();
  const rowCustomer = new Int32Array(n).fill(-1);
  const rowPeriod = new Int32Array(n);
  let missing = 0;
  let nonPositive = 0;
  const first: number[] = [];
  let lastPeriod = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const key = p.customers[r]!;
    const t = p.times[r]!;
    if (key === '' || !Number.isFinite(t)) {
      missing++;
      continue;
    }
    if (p.values !== null && !(p.values[r]! > 0 && Number.isFinite(p.values[r]!))) {
      nonPositive++;
      continue;
    }
    let c = ids.get(key);
    if (c === undefined) {
      c = first.length;
      ids.set(key, c);
      first.push(Number.POSITIVE_INFINITY);
    }
    const k = periodIndex(t, period);
    rowCustomer[r] = c;
    rowPeriod[r] = k;
    if (k < first[c]!) first[c] = k;
    if (k > lastPeriod) lastPeriod = k;
  }
  // Distinct (customer, period) activity with summed revenue, keyed as customer·span + offset.
  const minPeriod = first.length === 0 ? 0 : Math.min(...first);
  const span = first.length === 0 ? 1 : lastPeriod - minPeriod + 1;
  const activity = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const c = rowCustomer[r]!;
    if (c < 0) continue;
    const key = c * span + (rowPeriod[r]! - minPeriod);
    activity.set(key, (activity.get(key) ?? 0) + (p.values === null ? 0 : p.values[r]!));
  }
  const cell = new Map<number, { active: number; revenue: number }>();
  const sizes = new Map<number, number>();
  for (const f of first) sizes.set(f, (sizes.get(f) ?? 0) + 1);
  for (const [key, revenue] of activity) {
    const c = Math.floor(key / span);
    const k = (key % span) + minPeriod;
    const cohort = first[c]!;
    const at = (cohort - minPeriod) * span + (k - cohort);
    const entry = cell.get(at) ?? { active: 0, revenue: 0 };
    entry.active++;
    entry.revenue += revenue;
    cell.set(at, entry);
  }
  const keys = [...cell.keys()].sort((a, b) => a - b);
  const cohorts = [...sizes.keys()].sort((a, b) => a - b);
  return {
    cohort: Int32Array.from(keys, (at) => Math.floor(at / span) + minPeriod),
    since: Int32Array.from(keys, (at) => at % span),
    active: Int32Array.from(keys, (at) => cell.get(at)!.active),
    revenue: Float64Array.from(keys, (at) => cell.get(at)!.revenue),
    size: Int32Array.from(keys, (at) => sizes.get(Math.floor(at / span) + minPeriod)!),
    cohorts: Int32Array.from(cohorts),
    cohortSizes: Int32Array.from(cohorts, (c) => sizes.get(c)!),
    lastPeriod: first.length === 0 ? 0 : lastPeriod,
    missing,
    nonPositive,
  };
}

/** Reads purchases from table cells: customer keys, times through `toTime`, values = price × quantity (either optional). */
export function purchasesFromCells(
  rows: number,
  customer: (r: number) => unknown,
  time: { column: string; get: (r: number) => unknown; toTime: (v: unknown) => number | null },
  price: { column: string; get: (r: number) => unknown } | null,
  quantity: { column: string; get: (r: number) => unknown } | null,
  keyOf: (v: unknown) => string,
): Purchases {
  const customers: string[] = new Array<string>(rows);
  const times = new Float64Array(rows);
  const values = price === null && quantity === null ? null : new Float64Array(rows);
  const numberAt = (c: { column: string; get: (r: number) => unknown }, r: number): number => {
    const v: unknown = c.get(r);
    if (typeof v === 'string' && v.trim() !== '') throw new DataError(cohortMessages, 'notNumeric', { column: c.column, row: r + 1, value: v }, c === price ? 'priceColumn' : 'quantityColumn');
    return typeof v === 'number' ? v : Number.NaN;
  };
  for (let r = 0; r < rows; r++) {
    customers[r] = keyOf(customer(r));
    const v: unknown = time.get(r);
    if (v === null || v === undefined || v === '') times[r] = Number.NaN;
    else {
      const t = time.toTime(v);
      if (t === null) throw new DataError(cohortMessages, 'badTime', { column: time.column, row: r + 1, value: String(v) }, 'timeColumn');
      times[r] = t;
    }
    if (values !== null) values[r] = (price === null ? 1 : numberAt(price, r)) * (quantity === null ? 1 : numberAt(quantity, r));
  }
  return { customers, times, values };
}

/** The cohorts node's outputs from a result: the long table (one row per entry) and the retention matrix (p0 … p(maxPeriods−1), missing past the data's end). */
export function cohortOutputs(c: CohortResult, period: CohortPeriod, maxPeriods: number): { table: ColumnTable; matrix: ColumnTable } {
  const m = c.cohort.length;
  const long = makeTable(
    ['cohort', 'cohort_size', 'period', 'period_start', 'customers_active', 'retention', 'revenue', 'revenue_per_customer', 'revenue_per_active'],
    [
      Array.from(c.cohort, (k) => periodLabel(k, period)),
      Float64Array.from(c.size),
      Float64Array.from(c.since),
      Array.from({ length: m }, (_, e) => periodLabel(c.cohort[e]! + c.since[e]!, period)),
      Float64Array.from(c.active),
      Float64Array.from({ length: m }, (_, e) => c.active[e]! / c.size[e]!),
      c.revenue,
      Float64Array.from({ length: m }, (_, e) => c.revenue[e]! / c.size[e]!),
      Float64Array.from({ length: m }, (_, e) => c.revenue[e]! / c.active[e]!),
    ],
  );
  // Matrix: retention per period since; empty (missing) where the data ends before that period.
  const index = new Map<number, number>();
  c.cohorts.forEach((k, i) => index.set(k, i));
  const grid = Array.from({ length: maxPeriods }, (_, s) => Array.from(c.cohorts, (k): number | null => (k + s <= c.lastPeriod ? 0 : null)));
  for (let e = 0; e < m; e++) {
    const s = c.since[e]!;
    const i = index.get(c.cohort[e]!);
    // Every entry's cohort is among c.cohorts.
    if (i === undefined) continue;
    if (s < maxPeriods) grid[s]![i] = c.active[e]! / c.size[e]!;
  }
  const matrix = makeTable(['cohort', 'customers', ...grid.map((_, s) => `p${s}`)], [Array.from(c.cohorts, (k) => periodLabel(k, period)), Float64Array.from(c.cohortSizes), ...grid]);
  return { table: long, matrix };
}
