/**
 * Dates written as numbers: compact `YYYYMMDD` (19970101) and `YYYYMM` (199701, the first of
 * the month) whole numbers, and day or week numbers counted from a day 0 (grocery panels
 * write `DAY` 1..711 and `WEEK_NO` 1..102 instead of dates). Day n is day 0 + n days; week w
 * starts on day 7(w − 1) + 1, so day 1 and week 1 begin together. Every field is range-checked
 * (month 1–12, day within its month, years 1800–2200); a cell that fails is missing, counted.
 * Knows nothing of nodes.
 */
import type { ColumnTable } from 'arquero';
import { DAY_MS, dayStartMs, daysFromCivil, epochToDates } from './dates.ts';
import { columnValues, isMissing, makeTable } from './columns.ts';
import type { ColumnType } from './infer.ts';
import { DataError, errorTemplate, warningTemplate, type DataNote } from './issues.ts';

/** The number forms a date column can have. */
export const numberDateForms = ['yyyymmdd', 'yyyymm', 'day-number', 'week-number'] as const;

/** One number form. */
export type NumberDateForm = (typeof numberDateForms)[number];

/** Default day 0 of day and week numbers: day 1 is 2000-01-01. */
export const DEFAULT_DAY_ZERO = '1999-12-31';

const MIN_YEAR = 1800;
const MAX_YEAR = 2200;
/** Largest day or week number read (about 270 years of days). */
const MAX_COUNT = 100_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The whole number a cell holds (a number, or text of digits with an optional sign), else null. */
function wholeNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const t = value.trim();
    return /^-?\d{1,12}$/.test(t) ? Number(t) : null;
  }
  return null;
}

/** Days since 1970-01-01 of a compact `YYYYMMDD` number, or null when it is not a real date. */
export function compactDay(v: number): number | null {
  if (!Number.isInteger(v) || v < MIN_YEAR * 10_000 || v >= (MAX_YEAR + 1) * 10_000) return null;
  const year = Math.floor(v / 10_000);
  const month = Math.floor(v / 100) % 100;
  const day = v % 100;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 of the first of a compact `YYYYMM` month, or null. */
export function compactMonth(v: number): number | null {
  if (!Number.isInteger(v) || v < MIN_YEAR * 100 || v >= (MAX_YEAR + 1) * 100) return null;
  const month = v % 100;
  if (month < 1 || month > 12) return null;
  return daysFromCivil(Math.floor(v / 100), month, 1);
}

/**
 * Epoch ms (midnight UTC) of one cell written in `form`; null when missing or not readable
 * (`dayZeroMs` is day 0 of day and week numbers).
 */
export function numberDateMs(value: unknown, form: NumberDateForm, dayZeroMs: number): number | null {
  const v = wholeNumber(value);
  if (v === null) return null;
  switch (form) {
    case 'yyyymmdd': {
      const d = compactDay(v);
      return d === null ? null : d * DAY_MS;
    }
    case 'yyyymm': {
      const d = compactMonth(v);
      return d === null ? null : d * DAY_MS;
    }
    case 'day-number':
      return v < 0 || v > MAX_COUNT ? null : dayZeroMs + v * DAY_MS;
    case 'week-number':
      return v < 1 || v > MAX_COUNT ? null : dayZeroMs + (7 * (v - 1) + 1) * DAY_MS;
    default: {
      const never: never = form;
      return never;
    }
  }
}

/** What `readNumberDates` returns. */
export interface NumberDates {
  /** Epoch ms per cell, NaN where missing or unreadable. */
  ms: Float64Array;
  /** Filled cells that were not readable in the form. */
  unreadable: number;
  /** The first such cell, as text. */
  example: string;
}

/** Reads a column of cells written in `form` as epoch ms (see the file header). */
export function readNumberDates(values: ArrayLike<unknown>, form: NumberDateForm, dayZeroMs: number): NumberDates {
  const ms = new Float64Array(values.length);
  let unreadable = 0;
  let example = '';
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    const t = isMissing(v) ? null : numberDateMs(v, form, dayZeroMs);
    ms[i] = t ?? Number.NaN;
    if (t === null && !isMissing(v)) {
      unreadable++;
      if (example === '') example = String(v);
    }
  }
  return { ms, unreadable, example };
}

/** How a form reads, in words (for notes and reasons). */
export function describeNumberDateForm(form: NumberDateForm, dayZero: string): string {
  switch (form) {
    case 'yyyymmdd':
      return 'YYYYMMDD dates written as whole numbers (19970101 = 1997-01-01)';
    case 'yyyymm':
      return 'YYYYMM months written as whole numbers (199701 = 1997-01-01)';
    case 'day-number':
      return `day numbers counted from day 0 = ${dayZero} (day 1 = the next day)`;
    case 'week-number':
      return `week numbers counted from day 0 = ${dayZero} (week 1 starts the next day)`;
    default: {
      const never: never = form;
      return never;
    }
  }
}

/** Messages of `applyNumberDates`. */
export const numberDateMessages = {
  numberDatesUnreadable: warningTemplate('Column {column}: {count} cells (such as {example}) are not {form}; they are missing.'),
  numberDatesMissingColumn: errorTemplate('Parameter "numberDates" names column {column}, which the file does not have.'),
  badDayZero: errorTemplate('Parameter "dayZero" is {value}; write day 0 of day and week numbers as YYYY-MM-DD, for example 1999-12-31.'),
};

/** Reads the named columns of a table as dates written as numbers; the types say `date` for them. */
export function applyNumberDates(
  table: ColumnTable,
  types: Readonly<Record<string, ColumnType>>,
  forms: Readonly<Record<string, NumberDateForm>>,
  dayZero: string,
): { table: ColumnTable; types: Record<string, ColumnType>; notes: DataNote[] } {
  const entries = Object.entries(forms);
  const outTypes: Record<string, ColumnType> = Object.assign(Object.create(null), types);
  if (entries.length === 0) return { table, types: outTypes, notes: [] };
  const zero = dayStartMs(dayZero);
  if (zero === null) throw new DataError(numberDateMessages, 'badDayZero', { value: dayZero }, 'dayZero');
  const names = table.columnNames();
  for (const [column] of entries) if (!names.includes(column)) throw new DataError(numberDateMessages, 'numberDatesMissingColumn', { column }, 'numberDates');
  const notes: DataNote[] = [];
  const formOf = new Map(entries);
  const columns = names.map((name) => {
    const form = formOf.get(name);
    if (form === undefined) return columnValues(table, name);
    const read = readNumberDates(columnValues(table, name), form, zero);
    if (read.unreadable > 0) notes.push({ code: 'numberDatesUnreadable', values: { column: name, count: read.unreadable, example: read.example, form: describeNumberDateForm(form, dayZero) } });
    outTypes[name] = 'date';
    return epochToDates(read.ms);
  });
  return { table: makeTable(names, columns), types: outTypes, notes };
}
