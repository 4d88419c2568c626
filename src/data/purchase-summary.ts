/**
 * Per-customer purchase summaries for lifetime-value models, with lifetimes'
 * summary_data_from_transaction_data / calibration_and_holdout_data conventions:
 *   - times are floored to their period (day; week = Monday..Sunday, pandas' W-SUN; month),
 *     and all purchases of a customer in one period count as one, their values summed;
 *   - frequency = periods with a purchase − 1 (repeat purchases), recency = last − first period,
 *     T = the calibration end's period − first period, in units of the period (day = 1 day,
 *     week = 7 days, month = 30.436875 days: numpy's mean month, which lifetimes divides by);
 *   - monetary = mean value of the repeat periods (the first is left out), 0 when frequency = 0;
 *   - calibration = transactions on days up to and including the calibration end day; holdout =
 *     days after it up to the holdout end day; holdout frequency = periods with a purchase there
 *     and the holdout duration = holdout end's period − calibration end's period.
 * Customers whose first purchase is after the calibration end are not summarised (counted).
 */
import { DAY_MS, daysFromCivil, isoDay } from './dates.ts';
import { DataError, errorTemplate, warningTemplate, type DataNote, type KernelMessages } from './issues.ts';

/** Period units. */
export const periodUnits = ['day', 'week', 'month'] as const;

/** One period unit. */
export type PeriodUnit = (typeof periodUnits)[number];

/** Days in one unit when durations are expressed in units. */
export const unitDays: Readonly<Record<PeriodUnit, number>> = { day: 1, week: 7, month: 30.436875 };

/** Messages of the purchase summary (a clv node declares them all). */
export const purchaseSummaryMessages = {
  noTransactions: errorTemplate('There are no transactions with a customer id and a readable time to summarise.'),
  calibrationBeforeData: errorTemplate('The calibration end {end} is before the first purchase ({first}): no customer has a calibration history.'),
  holdoutBeforeCalibration: errorTemplate('The holdout end {holdoutEnd} must be after the calibration end {end}.'),
  skippedRows: warningTemplate('{count} rows have no customer id or no readable time (such as {example}) and were left out.'),
  missingValues: warningTemplate('{count} rows have no number in column {column}; they count as purchases with value 0.'),
  laterCustomers: warningTemplate('{count} customers first bought after the calibration end {end}; they have no calibration history and are not scored.'),
} satisfies KernelMessages;

/** Row-aligned transactions: customer key (null = missing), time in epoch ms (NaN = missing), value (NaN = missing). */
export interface PurchaseRows {
  /** Customer key per row. */
  customer: ArrayLike<string | null>;
  /** Purchase instant per row, epoch ms (UTC). */
  time: Float64Array;
  /** Purchase value per row (NaN = missing; counted and taken as 0). */
  value: Float64Array | null;
}

/** Options of `summarisePurchases`. */
export interface SummaryOptions {
  /** Period unit. */
  unit: PeriodUnit;
  /** Last calibration day (epoch ms of any instant in it); null = the last purchase's day (no holdout). */
  calibrationEndMs: number | null;
  /** Last holdout day (epoch ms of any instant in it); null = the last purchase's day. */
  holdoutEndMs: number | null;
  /** The value column's name, for messages. */
  valueColumn: string;
}

/** Per-customer summaries, ids in first-appearance order. */
export interface PurchaseSummary {
  /** Customer keys. */
  ids: string[];
  /** Repeat purchase periods in calibration. */
  frequency: Float64Array;
  /** Time from the first to the last purchase period, in units. */
  recency: Float64Array;
  /** Time from the first purchase period to the calibration end's period, in units. */
  T: Float64Array;
  /** Mean value of the repeat periods (0 when frequency is 0). */
  monetary: Float64Array;
  /** Periods with a purchase in the holdout (0 when there is no holdout). */
  holdoutFrequency: Float64Array;
  /** Total value in the holdout. */
  holdoutValue: Float64Array;
  /** Length of the holdout in units (0 = no holdout). */
  holdoutDuration: number;
  /** The calibration end day, YYYY-MM-DD. */
  calibrationEnd: string;
  /** The holdout end day, YYYY-MM-DD (equal to calibrationEnd when there is no holdout). */
  holdoutEnd: string;
  /** Things a person should know. */
  notes: DataNote[];
}

/** The start day (days since 1970-01-01) of the period holding day `d`. */
export function periodStartDay(d: number, unit: PeriodUnit): number {
  switch (unit) {
    case 'day':
      return d;
    case 'week':
      // 1970-01-05 was a Monday; weeks run Monday..Sunday like pandas' W-SUN periods.
      return d - (((d + 3) % 7) + 7) % 7;
    case 'month': {
      const date = new Date(d * DAY_MS);
      return daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
  }
}

/** Summarises transactions per customer (see the file header). */
export function summarisePurchases(rows: PurchaseRows, options: SummaryOptions): PurchaseSummary {
  const n = rows.customer.length;
  const notes: DataNote[] = [];
  let skipped = 0;
  let skippedExample = '';
  let missingValues = 0;
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = rows.time[i]!;
    if (rows.customer[i] === null || !Number.isFinite(t)) continue;
    const d = Math.floor(t / DAY_MS);
    if (d < firstDay) firstDay = d;
    if (d > lastDay) lastDay = d;
  }
  if (firstDay === Infinity) throw new DataError(purchaseSummaryMessages, 'noTransactions');
  const calDay = options.calibrationEndMs === null ? lastDay : Math.floor(options.calibrationEndMs / DAY_MS);
  const holdDay = options.holdoutEndMs === null ? Math.max(lastDay, calDay) : Math.floor(options.holdoutEndMs / DAY_MS);
  if (calDay < firstDay) throw new DataError(purchaseSummaryMessages, 'calibrationBeforeData', { end: isoDay(calDay * DAY_MS), first: isoDay(firstDay * DAY_MS) }, 'calibrationEnd');
  if (options.holdoutEndMs !== null && holdDay <= calDay) throw new DataError(purchaseSummaryMessages, 'holdoutBeforeCalibration', { holdoutEnd: isoDay(holdDay * DAY_MS), end: isoDay(calDay * DAY_MS) }, 'holdoutEnd');
  const unit = options.unit;
  const calPeriod = periodStartDay(calDay, unit);

  // Per customer: the set of calibration periods with their summed value, and holdout periods.
  const index = new Map<string, number>();
  const ids: string[] = [];
  const calPeriods: Map<number, number>[] = [];
  const holdPeriods: Map<number, number>[] = [];
  for (let i = 0; i < n; i++) {
    const key = rows.customer[i]!;
    const t = rows.time[i]!;
    if (key === null || !Number.isFinite(t)) {
      skipped++;
      if (skippedExample === '') skippedExample = key === null ? 'a blank customer id' : `time ${String(t)}`;
      continue;
    }
    const d = Math.floor(t / DAY_MS);
    if (d > holdDay) continue;
    let value = rows.value ? rows.value[i]! : 0;
    if (Number.isNaN(value)) {
      missingValues++;
      value = 0;
    }
    let c = index.get(key);
    if (c === undefined) {
      c = ids.length;
      index.set(key, c);
      ids.push(key);
      calPeriods.push(new Map());
      holdPeriods.push(new Map());
    }
    const periods = d <= calDay ? calPeriods[c]! : holdPeriods[c]!;
    const p = periodStartDay(d, unit);
    periods.set(p, (periods.get(p) ?? 0) + value);
  }
  if (skipped > 0) notes.push({ code: 'skippedRows', values: { count: skipped, example: skippedExample } });
  if (missingValues > 0) notes.push({ code: 'missingValues', values: { count: missingValues, column: options.valueColumn } });

  const kept: number[] = [];
  for (let c = 0; c < ids.length; c++) if (calPeriods[c]!.size > 0) kept.push(c);
  const later = ids.length - kept.length;
  if (later > 0) notes.push({ code: 'laterCustomers', values: { count: later, end: isoDay(calDay * DAY_MS) } });
  const m = kept.length;
  const out: PurchaseSummary = {
    ids: kept.map((c) => ids[c]!),
    frequency: new Float64Array(m),
    recency: new Float64Array(m),
    T: new Float64Array(m),
    monetary: new Float64Array(m),
    holdoutFrequency: new Float64Array(m),
    holdoutValue: new Float64Array(m),
    holdoutDuration: (periodStartDay(holdDay, unit) - calPeriod) / unitDays[unit],
    calibrationEnd: isoDay(calDay * DAY_MS),
    holdoutEnd: isoDay(holdDay * DAY_MS),
    notes,
  };
  const perUnit = unitDays[unit];
  kept.forEach((c, j) => {
    let first = Infinity;
    let last = -Infinity;
    let firstValue = 0;
    let total = 0;
    for (const [p, v] of calPeriods[c]!) {
      total += v;
      if (p < first) {
        first = p;
        firstValue = v;
      }
      if (p > last) last = p;
    }
    const x = calPeriods[c]!.size - 1;
    out.frequency[j] = x;
    out.recency[j] = (last - first) / perUnit;
    out.T[j] = (calPeriod - first) / perUnit;
    out.monetary[j] = x > 0 ? (total - firstValue) / x : 0;
    out.holdoutFrequency[j] = holdPeriods[c]!.size;
    let held = 0;
    for (const v of holdPeriods[c]!.values()) held += v;
    out.holdoutValue[j] = held;
  });
  return out;
}
