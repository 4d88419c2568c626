/**
 * Reading numbers from text. `parseNumberAt` is the strict reader type inference uses: a plain
 * decimal (`-12`, `3.75`, `1e-3`, `17850.0`), surrounding spaces allowed, nothing else — so
 * `0x1F`, `Infinity`, `1,234` and ids like `0123` (a leading zero that would be lost) are not
 * numbers. `parseLooseNumber` is the forgiving reader the clean node uses for malformed
 * numbers: thousands separators, currency signs, decimal commas, accounting parentheses.
 */

import { asciiText, codeAt, type CodeUnits } from './code-units.ts';

/** Powers of ten that are exact doubles (10^0 … 10^22). */
const exactPowers = Array.from({ length: 23 }, (_, k) => 10 ** k);

const SPACE = 32;
const TAB = 9;

/**
 * Reads `text[start, end)` (a string, or ASCII-compatible bytes) as a plain decimal number; NaN when it is not one (or not finite).
 * When `strict` (the default), `0123` is refused (type inference keeps such ids as text) and
 * so are more than 15 integer digits, which would not survive as a double.
 */
export function parseNumberAt(text: CodeUnits, start: number, end: number, strict = true): number {
  let i = start;
  let e = end;
  while (i < e && (codeAt(text, i) === SPACE || codeAt(text, i) === TAB)) i++;
  while (e > i && (codeAt(text, e - 1) === SPACE || codeAt(text, e - 1) === TAB)) e--;
  if (i === e) return Number.NaN;
  const first = i;
  let negative = false;
  let c = codeAt(text, i);
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let significant = 0; // digits accumulated into mantissa
  let intDigits = 0;
  let fracDigits = 0;
  let dropped = false; // more digits than the fast path can hold exactly
  const intStart = i;
  while (i < e) {
    c = codeAt(text, i);
    if (c < 48 || c > 57) break;
    if (significant < 15) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) significant++;
    } else {
      dropped = true;
    }
    intDigits++;
    i++;
  }
  if (strict && intDigits > 1 && codeAt(text, intStart) === 48) return Number.NaN;
  if (strict && intDigits > 15) return Number.NaN;
  if (i < e && codeAt(text, i) === 46) {
    i++;
    while (i < e) {
      c = codeAt(text, i);
      if (c < 48 || c > 57) break;
      if (significant < 15) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) significant++;
        fracDigits++;
      } else {
        dropped = true;
      }
      i++;
    }
    if (intDigits === 0 && fracDigits === 0 && !dropped) return Number.NaN;
  } else if (intDigits === 0) {
    return Number.NaN;
  }
  let exponent = 0;
  if (i < e && (codeAt(text, i) | 32) === 101) {
    i++;
    let expNegative = false;
    c = codeAt(text, i);
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      i++;
    }
    const expStart = i;
    while (i < e) {
      c = codeAt(text, i);
      if (c < 48 || c > 57) break;
      if (exponent < 10_000) exponent = exponent * 10 + (c - 48);
      i++;
    }
    if (i === expStart) return Number.NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== e) return Number.NaN;
  const scale = exponent - fracDigits;
  // Clinger's fast path: an exact mantissa times or over an exact power of ten rounds once.
  if (!dropped && scale >= -22 && scale <= 22) {
    const magnitude = scale >= 0 ? mantissa * exactPowers[scale]! : mantissa / exactPowers[-scale]!;
    if (scale <= 0 || magnitude <= Number.MAX_SAFE_INTEGER) return negative ? -magnitude : magnitude;
  }
  // The grammar is already checked, so Number() reads the same text exactly.
  const value = Number(asciiText(text, first, e));
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Reads a whole string as a plain decimal number (see parseNumberAt); NaN when it is not one. */
export function parseNumberText(text: string, strict = true): number {
  return parseNumberAt(text, 0, text.length, strict);
}

const currency = /[$€£¥₹]/g;
const spaces = /[\s\u00a0\u2009\u202f']/g;

/**
 * Reads a malformed number: `1,234.50`, `1.234,50`, `$ 1 234`, `12,5`, `(42)` (= −42),
 * `−5` (Unicode minus). Returns null when the text is not a number in any of these forms.
 * A lone comma followed by exactly three digits (`1,234`) is a thousands separator.
 */
export function parseLooseNumber(text: string): number | null {
  let s = text.trim();
  if (s === '') return null;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(currency, '').replace(spaces, '').replace(/^\u2212/, '-');
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  if (!/^[0-9.,]+([eE][+-]?\d+)?$/.test(s) || !/\d/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let normalised: string;
  if (lastComma >= 0 && lastDot >= 0) {
    // Both appear: the later one is the decimal separator, the other groups thousands.
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const [whole = '', fraction = ''] = s.split(decimal);
    if (s.split(decimal).length !== 2 || !validGroups(whole, group)) return null;
    normalised = `${whole.split(group).join('')}.${fraction}`;
  } else if (lastComma >= 0) {
    const parts = s.split(',');
    if (parts.length === 2 && !/^\d{3}$/.test(parts[1] ?? '')) normalised = `${parts[0]}.${parts[1]}`;
    else if (validGroups(s, ',')) normalised = parts.join('');
    else return null;
  } else if (lastDot >= 0 && s.indexOf('.') !== lastDot) {
    if (!validGroups(s, '.')) return null;
    normalised = s.split('.').join('');
  } else {
    normalised = s;
  }
  const value = parseNumberText(normalised, false);
  if (Number.isNaN(value)) return null;
  return negative ? -value : value;
}

/** True when `1,234,567`-style groups are well formed (first group 1–3 digits, then threes). */
function validGroups(text: string, group: string): boolean {
  const parts = text.split(group);
  if (parts.length === 1) return /^\d*$/.test(text);
  return /^\d{1,3}$/.test(parts[0] ?? '') && parts.slice(1).every((p) => /^\d{3}$/.test(p));
}
