/**
 * Dates. The representation everywhere in the data layer: a date cell is a JavaScript `Date`
 * (UTC instant) and a missing one is `null`. Text is read as UTC unless it names an offset;
 * local time is never consulted. Code that needs arithmetic (features, sequences) reads a
 * cell through `toEpochMs`, which also accepts epoch-ms numbers and date text.
 *
 * Accepted text: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, optionally followed by ` ` or `T`
 * and `H:MM`, `H:MM:SS` or `H:MM:SS.fff`, an optional `AM`/`PM`, and an optional zone `Z`,
 * `+HH:MM`, `+HHMM` or `+HH`; and `A/B/YYYY` (also with `.` or `-`) with the same optional
 * time, where A/B is day/month or month/day. The order of A and B is decided per column by
 * the data: a first field above 12 means day-first, a second field above 12 means
 * month-first; when no value decides, day-first is assumed and the caller is told.
 */

import { codeAt, type CodeUnits } from './code-units.ts';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Order of the first two fields in `A/B/YYYY` dates. */
export type DateOrder = 'day-first' | 'month-first';

/** The pieces of one scanned date text (reused between calls to avoid allocation). */
export interface DateParts {
  /** True for `YYYY-MM-DD` forms (a = month, b = day). */
  yearFirst: boolean;
  /** First two-digit field (month when yearFirst). */
  a: number;
  /** Second two-digit field (day when yearFirst). */
  b: number;
  /** Four-digit year. */
  year: number;
  /** Hour 0–23 after AM/PM is applied. */
  hour: number;
  /** Minute. */
  minute: number;
  /** Second. */
  second: number;
  /** Millisecond (further fraction digits are dropped). */
  millisecond: number;
  /** Offset from UTC in minutes named by the text (0 when none). */
  offsetMinutes: number;
}

/** A fresh parts object for `scanDate`. */
export function newDateParts(): DateParts {
  return { yearFirst: true, a: 0, b: 0, year: 0, hour: 0, minute: 0, second: 0, millisecond: 0, offsetMinutes: 0 };
}

const SPACE = 32;
const TAB = 9;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads one or two digits at `p` (before `e`): returns value · 4 + digits read, or −1. */
function oneOrTwoDigits(text: CodeUnits, p: number, e: number): number {
  if (p >= e) return -1;
  const c0 = codeAt(text, p) - 48;
  if (c0 < 0 || c0 > 9) return -1;
  const c1 = p + 1 < e ? codeAt(text, p + 1) - 48 : -1;
  if (c1 < 0 || c1 > 9) return c0 * 4 + 1;
  return (c0 * 10 + c1) * 4 + 2;
}

/** Reads exactly two digits at `p`; −1 when they are not digits. */
function twoDigits(text: CodeUnits, p: number, e: number): number {
  if (p + 1 >= e) return -1;
  const c0 = codeAt(text, p) - 48;
  const c1 = codeAt(text, p + 1) - 48;
  if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9) return -1;
  return c0 * 10 + c1;
}

/**
 * Scans `text[start, end)` (a string, or ASCII-compatible bytes) as one of the accepted date forms into `out`; false when it is not
 * one. Field ranges (month 1–12 and so on) are checked later by `partsToEpochMs`, because the
 * day/month order may not be known yet.
 */
export function scanDate(text: CodeUnits, start: number, end: number, out: DateParts): boolean {
  let i = start;
  let e = end;
  while (i < e && (codeAt(text, i) === SPACE || codeAt(text, i) === TAB)) i++;
  while (e > i && (codeAt(text, e - 1) === SPACE || codeAt(text, e - 1) === TAB)) e--;
  if (e - i < 8) return false;
  // Leading digit run decides the form: four digits = year first, one or two = year last.
  let run = 0;
  let value = 0;
  while (i + run < e && run < 5 && isDigit(codeAt(text, i + run))) {
    value = value * 10 + codeAt(text, i + run) - 48;
    run++;
  }
  const sep = codeAt(text, i + run);
  if (sep !== 45 && sep !== 47 && sep !== 46) return false; // - / .
  let p = i + run + 1;
  let field: number;
  if (run === 4) {
    out.yearFirst = true;
    out.year = value;
    field = oneOrTwoDigits(text, p, e);
    if (field < 0) return false;
    out.a = field >> 2;
    p += field & 3;
    if (codeAt(text, p) !== sep) return false;
    p++;
    field = oneOrTwoDigits(text, p, e);
    if (field < 0) return false;
    out.b = field >> 2;
    p += field & 3;
  } else if (run === 1 || run === 2) {
    out.yearFirst = false;
    out.a = value;
    field = oneOrTwoDigits(text, p, e);
    if (field < 0) return false;
    out.b = field >> 2;
    p += field & 3;
    if (codeAt(text, p) !== sep) return false;
    p++;
    const hi = twoDigits(text, p, e);
    const lo = twoDigits(text, p + 2, e);
    if (hi < 0 || lo < 0) return false;
    out.year = hi * 100 + lo;
    p += 4;
    if (p < e && isDigit(codeAt(text, p))) return false;
  } else {
    return false;
  }
  out.hour = 0;
  out.minute = 0;
  out.second = 0;
  out.millisecond = 0;
  out.offsetMinutes = 0;
  if (p === e) return true;
  const t = codeAt(text, p);
  if (t !== SPACE && t !== 84) return false; // ' ' or 'T'
  p++;
  field = oneOrTwoDigits(text, p, e);
  if (field < 0) return false;
  let hour = field >> 2;
  p += field & 3;
  if (codeAt(text, p) !== 58) return false; // ':'
  const minute = twoDigits(text, p + 1, e);
  if (minute < 0) return false;
  p += 3;
  let second = 0;
  let millisecond = 0;
  if (p < e && codeAt(text, p) === 58) {
    second = twoDigits(text, p + 1, e);
    if (second < 0) return false;
    p += 3;
    if (p < e && codeAt(text, p) === 46) {
      p++;
      let digits = 0;
      while (p < e && isDigit(codeAt(text, p))) {
        if (digits < 3) millisecond = millisecond * 10 + codeAt(text, p) - 48;
        digits++;
        p++;
      }
      if (digits === 0) return false;
      for (let k = digits; k < 3; k++) millisecond *= 10;
    }
  }
  // Optional AM/PM.
  let q = p;
  while (q < e && codeAt(text, q) === SPACE) q++;
  if (q + 2 <= e) {
    const m0 = codeAt(text, q) | 32;
    const m1 = codeAt(text, q + 1) | 32;
    if ((m0 === 97 || m0 === 112) && m1 === 109) {
      if (hour < 1 || hour > 12) return false;
      if (m0 === 97) hour = hour === 12 ? 0 : hour;
      else hour = hour === 12 ? 12 : hour + 12;
      p = q + 2;
    }
  }
  out.hour = hour;
  out.minute = minute;
  out.second = second;
  out.millisecond = millisecond;
  if (p === e) return true;
  // Optional zone.
  let z = p;
  if (codeAt(text, z) === SPACE) z++;
  const zc = codeAt(text, z);
  if (zc === 90 && z + 1 === e) return true; // 'Z'
  if (zc !== 43 && zc !== 45) return false; // + -
  const sign = zc === 43 ? 1 : -1;
  z++;
  const oh = twoDigits(text, z, e);
  if (oh < 0) return false;
  z += 2;
  let om = 0;
  if (z < e && codeAt(text, z) === 58) z++;
  if (z < e) {
    om = twoDigits(text, z, e);
    if (om < 0) return false;
    z += 2;
  }
  if (z !== e || oh > 23 || om > 59) return false;
  out.offsetMinutes = sign * (oh * 60 + om);
  return true;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of scanned parts under a day/month order; NaN when a field is out of range. */
export function partsToEpochMs(parts: DateParts, order: DateOrder): number {
  const month = parts.yearFirst || order === 'month-first' ? parts.a : parts.b;
  const day = parts.yearFirst || order === 'month-first' ? parts.b : parts.a;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(parts.year, month)) return Number.NaN;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return Number.NaN;
  const days = daysFromCivil(parts.year, month, day);
  return days * DAY_MS + ((parts.hour * 60 + parts.minute) * 60 + parts.second) * 1000 + parts.millisecond - parts.offsetMinutes * 60_000;
}

/** What a column's `A/B/YYYY` values say about their order. */
export interface DateOrderEvidence {
  /** Some first field is above 12 (so it must be the day). */
  firstAbove12: boolean;
  /** Some second field is above 12 (so it must be the day). */
  secondAbove12: boolean;
  /** Some value had the `A/B/YYYY` form at all. */
  yearLast: boolean;
}

/** Evidence with nothing seen yet. */
export function newDateOrderEvidence(): DateOrderEvidence {
  return { firstAbove12: false, secondAbove12: false, yearLast: false };
}

/** Adds one scanned value to the evidence. */
export function addDateOrderEvidence(evidence: DateOrderEvidence, parts: DateParts): void {
  if (parts.yearFirst) return;
  evidence.yearLast = true;
  if (parts.a > 12) evidence.firstAbove12 = true;
  if (parts.b > 12) evidence.secondAbove12 = true;
}

/** The order a column's evidence implies: decided, ambiguous (assumed day-first) or conflicting. */
export function resolveDateOrder(evidence: DateOrderEvidence): { order: DateOrder; status: 'decided' | 'ambiguous' | 'conflict' | 'not-needed' } {
  if (!evidence.yearLast) return { order: 'day-first', status: 'not-needed' };
  if (evidence.firstAbove12 && evidence.secondAbove12) return { order: 'day-first', status: 'conflict' };
  if (evidence.firstAbove12) return { order: 'day-first', status: 'decided' };
  if (evidence.secondAbove12) return { order: 'month-first', status: 'decided' };
  return { order: 'day-first', status: 'ambiguous' };
}

const scratch = newDateParts();

/**
 * Parses one date text to epoch ms; null when it is not an accepted date. `A/B/YYYY` text
 * uses `order`, or under 'auto' decides from this value alone (day-first when undecidable).
 */
export function parseDateText(text: string, order: DateOrder | 'auto' = 'auto'): number | null {
  if (!scanDate(text, 0, text.length, scratch)) return null;
  let chosen: DateOrder = 'day-first';
  if (order !== 'auto') chosen = order;
  else if (!scratch.yearFirst && scratch.b > 12 && scratch.a <= 12) chosen = 'month-first';
  const ms = partsToEpochMs(scratch, chosen);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The instant of a cell as epoch ms, or null when it has none: a Date, a finite number taken
 * as epoch ms, a bigint, or date text (see the file header). The sequence node reads time
 * columns through this.
 */
export function toEpochMs(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return parseDateText(value);
  return null;
}

/** `YYYY-MM-DD` of an epoch-ms instant (UTC). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` of an epoch-ms instant (UTC), or 'none' when the instant is not finite. */
export function isoDayOrNone(ms: number): string {
  return Number.isFinite(ms) ? isoDay(ms) : 'none';
}

/** The day before a `YYYY-MM-DD` day (the text unchanged when it is not a date, so validation still names it). */
export function dayBefore(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) ? isoDay(ms - DAY_MS) : day;
}

/** Epoch ms of midnight UTC of a `YYYY-MM-DD` date; null when it is not a real date. */
export function dayStartMs(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  return parseDateText(day);
}

/**
 * Date cells for epoch-ms values (NaN → null). Rows with the same instant share one Date
 * instance — transactions repeat a timestamp on every line of an invoice, and a Date costs far
 * more than a number — so cells must never be mutated (no table in this studio mutates them).
 */
export function epochToDates(ms: Float64Array): (Date | null)[] {
  const n = ms.length;
  const out: (Date | null)[] = new Array<Date | null>(n);
  const cap = 1_000_000;
  // While the instants only rise (a log in time order), each new one is one not seen before: no lookup. The Dates made meanwhile
  // (with their instants, the Map's keys) go into the Map at the first instant that falls, as the lookups would have put them there.
  let rising = true;
  const madeMs: number[] = [];
  const made: Date[] = [];
  let shared: Map<number, Date> | null = null;
  let previousMs = Number.NaN;
  let previous: Date | null = null;
  for (let i = 0; i < n; i++) {
    const v = ms[i]!;
    if (v !== v) {
      out[i] = null;
      continue;
    }
    if (v === previousMs) {
      out[i] = previous;
      continue;
    }
    let date: Date | undefined;
    if (rising && (previous === null || v > previousMs)) {
      date = new Date(v);
      if (made.length < cap) {
        madeMs.push(v);
        made.push(date);
      }
    } else {
      if (shared === null) {
        rising = false;
        shared = new Map<number, Date>();
        for (let k = 0; k < made.length; k++) shared.set(madeMs[k]!, made[k]!);
      }
      date = shared.get(v);
      if (date === undefined) {
        date = new Date(v);
        if (shared.size < cap) shared.set(v, date);
      }
    }
    out[i] = date;
    previousMs = v;
    previous = date;
  }
  return out;
}
