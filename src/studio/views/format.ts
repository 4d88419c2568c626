/**
 * How views write numbers: grouped digits, four significant figures, and a unit read from the
 * column's name (probabilities and rates as percentages, `_ms` durations in seconds, `_days`
 * in days). Pure and tested; the table, the report and chart axes share it.
 */
import type { JsonValue } from '../../engine/ports.ts';

/** The unit a column's numbers are shown in. */
export type Unit = 'percent' | 'seconds' | 'days' | 'none';

/** The unit of a column, from its name. */
export function columnUnit(name: string): Unit {
  const n = name.toLowerCase();
  if (/(^|_)(purchase_)?probability$|probability|(^|_)rate$|(^|_)share($|_)|_pct$/.test(n)) return 'percent';
  if (/(^|_)ms$|durationms$|millis/.test(n)) return 'seconds';
  if (/(^|_)days?$|_days_/.test(n)) return 'days';
  return 'none';
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** A number with grouped digits (integers whole, others to four significant figures, tiny ones in e-notation). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '—';
  if (Number.isInteger(value)) return grouped.format(value);
  const size = Math.abs(value);
  if (size !== 0 && size < 1e-4) return value.toExponential(2);
  if (size >= 1e4) return grouped.format(Math.round(value));
  return significant.format(value);
}

/** A number in a unit: `0.8321` percent → "83.2 %", 137454 ms → "137.5 s", 12 days → "12 d". */
export function formatWithUnit(value: number, unit: Unit): string {
  switch (unit) {
    case 'percent':
      // Only shares in [0, 1] are percentages; a column named like one that holds counts stays a number.
      return value >= 0 && value <= 1 ? `${formatNumber(Math.round(value * 1000) / 10)} %` : formatNumber(value);
    case 'seconds':
      return formatSeconds(value / 1000);
    case 'days':
      return `${formatNumber(value)} d`;
    case 'none':
      return formatNumber(value);
    default: {
      const never: never = unit;
      throw new Error(`Unknown unit ${String(never)}`);
    }
  }
}

/** A duration in seconds as "0.42 s", "12.3 s", "2 min 17 s" or "1 h 5 min". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds < 10 ? Number(seconds.toPrecision(2)) : Math.round(seconds * 10) / 10} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.round((whole % 3600) / 60)} min`;
}

/** A cell for display: missing as empty text, numbers in the column's unit, objects as JSON. */
export function formatCell(value: JsonValue | undefined, unit: Unit = 'none'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatWithUnit(value, unit);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The short unit label shown in a column header ('' for none). */
export function unitLabel(unit: Unit): string {
  return unit === 'percent' ? '%' : unit === 'seconds' ? 's' : unit === 'days' ? 'd' : '';
}

/** Chinese, Japanese and Korean characters and full-width forms: about as wide as the font is tall. */
const wideChar = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u;

/** About how wide a chart label draws at Plot's 10 px font: 6.6 px a Latin character, 10.5 px a wide (CJK) one. */
export function labelWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += wideChar.test(ch) ? 10.5 : 6.6;
  return width;
}
