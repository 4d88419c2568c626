/**
 * Text formatting for the generated CSV files: field quoting and the two timestamp
 * formats, with lookup tables because tens of millions of timestamps are formatted when
 * a large set is generated.
 */

/** Seconds in a day. */
export const DAY_SECONDS = 86_400;

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  if (!/[",\n\r]/.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** Two-digit zero-padded strings "00".."99". */
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Zero-pads to two digits (0..99). */
function pad2(n: number): string {
  return PAD2[n] ?? String(n).padStart(2, '0');
}

/** Civil date (UTC) of a day counted from 1970-01-01. */
export function civilDate(epochDay: number): { year: number; month: number; day: number } {
  const d = new Date(epochDay * DAY_SECONDS * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "YYYY-MM-DD" of a day counted from 1970-01-01. */
export function isoDate(epochDay: number): string {
  const { year, month, day } = civilDate(epochDay);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** "DD/MM/YYYY" of a day counted from 1970-01-01 (the second, day-first date format). */
export function dayFirstDate(epochDay: number): string {
  const { year, month, day } = civilDate(epochDay);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/** Epoch seconds of a UTC "YYYY-MM-DD" date. */
export function epochSecondsOf(isoDay: string): number {
  const ms = Date.parse(`${isoDay}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new Error(`Not an ISO date: ${JSON.stringify(isoDay)}`);
  return ms / 1000;
}

/**
 * Formats timestamps inside a fixed window, given as seconds from the window start, with
 * cached day and time-of-day strings.
 */
export class TimestampFormatter {
  private readonly startDay: number;
  private readonly days: string[];
  private readonly dayBytes: Uint8Array;
  private clock: string[] | null = null;

  /** `startEpochSeconds` must fall on a UTC midnight; `dayCount` bounds the window. */
  constructor(startEpochSeconds: number, dayCount: number) {
    if (startEpochSeconds % DAY_SECONDS !== 0) throw new Error('Window start must be a UTC midnight.');
    this.startDay = startEpochSeconds / DAY_SECONDS;
    this.days = Array.from({ length: dayCount }, (_, i) => `${isoDate(this.startDay + i)} `);
    this.dayBytes = new Uint8Array(dayCount * 11);
    this.days.forEach((text, d) => {
      for (let k = 0; k < 11; k++) this.dayBytes[d * 11 + k] = text.charCodeAt(k);
    });
  }

  /**
   * Writes "YYYY-MM-DD HH:MM:SS" (19 ASCII bytes) for `t` seconds after the window start
   * into `buf` at `pos`; returns the position after it. `t` must lie inside the window.
   */
  writeIso(buf: Uint8Array, pos: number, t: number): number {
    const day = Math.floor(t / DAY_SECONDS);
    if (day < 0 || day * 11 >= this.dayBytes.length) throw new Error(`Time ${t} s lies outside the formatter's window.`);
    const from = day * 11;
    for (let k = 0; k < 11; k++) buf[pos + k] = this.dayBytes[from + k] ?? 32;
    let second = t - day * DAY_SECONDS;
    const h = Math.floor(second / 3600);
    second -= h * 3600;
    const m = Math.floor(second / 60);
    second -= m * 60;
    let p = pos + 11;
    buf[p++] = 48 + Math.floor(h / 10);
    buf[p++] = 48 + (h % 10);
    buf[p++] = 58;
    buf[p++] = 48 + Math.floor(m / 10);
    buf[p++] = 48 + (m % 10);
    buf[p++] = 58;
    buf[p++] = 48 + Math.floor(second / 10);
    buf[p++] = 48 + (second % 10);
    return p;
  }

  /** "YYYY-MM-DD HH:MM:SS" for `t` seconds after the window start. */
  iso(t: number): string {
    const day = Math.floor(t / DAY_SECONDS);
    const second = t - day * DAY_SECONDS;
    const prefix = this.days[day] ?? `${isoDate(this.startDay + day)} `;
    if (this.clock === null) this.clock = buildClock();
    return prefix + (this.clock[second] ?? '00:00:00');
  }

  /** "DD/MM/YYYY HH:MM" (seconds dropped) for `t` seconds after the window start. */
  dayFirst(t: number): string {
    const day = Math.floor(t / DAY_SECONDS);
    const second = t - day * DAY_SECONDS;
    return `${dayFirstDate(this.startDay + day)} ${pad2(Math.floor(second / 3600))}:${pad2(Math.floor(second / 60) % 60)}`;
  }
}

/** All 86,400 "HH:MM:SS" strings of a day. */
function buildClock(): string[] {
  const out = new Array<string>(DAY_SECONDS);
  for (let s = 0; s < DAY_SECONDS; s++) {
    out[s] = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
  }
  return out;
}
