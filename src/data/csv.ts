/**
 * Delimited text (CSV, TSV, `;`, `|`) to a grid of field offsets. The tokenizer makes no
 * strings: it records where each field starts in the text — a decoded string, or the bytes of
 * UTF-8 or Windows-1252 text read as they are (code-units.ts), so a large file is never one
 * string — (its end is found again
 * when the field is read, which costs less than a second offset array of 4 bytes a field),
 * so numeric columns are read straight from character codes and only text is ever sliced.
 * Quoted fields may hold delimiters, doubled quotes and line breaks; lines end in LF, CRLF or
 * CR. A row with fewer fields than the header gets missing values; extra fields are dropped
 * and counted; empty lines are skipped (also in one-column files, where they would be
 * indistinguishable from a trailing line break).
 */

/** Delimiters a person can choose (besides 'auto'). */
export const delimiterChoices = ['auto', ',', ';', '\t', '|'] as const;

/** One of the delimiter choices. */
export type DelimiterChoice = (typeof delimiterChoices)[number];

/** A concrete delimiter. */
export type Delimiter = Exclude<DelimiterChoice, 'auto'>;

/** Field offsets of a delimited text (a string, or ASCII-compatible bytes). */
export interface DelimitedText<T extends CodeUnits = string> {
  /** The text the offsets point into. */
  text: T;
  /** Column names (from the header row, or col1, col2, ... without one). */
  names: string[];
  /** Number of data rows. */
  rowCount: number;
  /** Fields per row (= names.length). */
  width: number;
  /** The delimiter the text was split on. */
  delimiter: Delimiter;
  /**
   * Start offset per field, row-major (row r, column c at r · width + c); `fieldEnd` finds
   * where it ends. −1 marks a field the row did not have; −2 − k marks a field whose text is
   * `escaped[k]` (it had doubled quotes or text after its closing quote).
   */
  starts: Int32Array | Float64Array;
  /** Texts of fields that needed unescaping. */
  escaped: string[];
  /** Rows that had more fields than the header (extras dropped). */
  longRows: number;
  /** 1-based data row number of the first such row (0 when none). */
  firstLongRow: number;
  /** Rows that had fewer fields than the header (rest missing). */
  shortRows: number;
  /** Whether the text ended inside a quoted field. */
  unterminatedQuote: boolean;
  /** Header names that were blank or repeated and had to be renamed. */
  renamedHeaders: number;
}

import { codeAt, type CodeUnits } from './code-units.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Guesses the delimiter from the first lines: the candidate whose count per line (outside
 * quotes) is the same on most lines, header included, and above zero; ties go to the larger
 * count, then to the order `,` `;` tab `|`. A file with none of them is one column (`,`).
 */
export function sniffDelimiter(text: string, maxLines = 30): Delimiter {
  const candidates: Delimiter[] = [',', ';', '\t', '|'];
  const counts: number[][] = candidates.map(() => []);
  const current = candidates.map(() => 0);
  let inQuote = false;
  let lines = 0;
  const limit = Math.min(text.length, 1 << 20);
  for (let i = 0; i < limit && lines < maxLines; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) inQuote = !inQuote;
    else if (!inQuote && (c === LF || c === CR)) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      candidates.forEach((_, k) => counts[k]!.push(current[k]!));
      current.fill(0);
      lines++;
    } else if (!inQuote) {
      for (let k = 0; k < candidates.length; k++) if (c === candidates[k]!.charCodeAt(0)) current[k]!++;
    }
  }
  // A last line without a line break counts when the sample ended at the end of the text.
  if (lines < maxLines && limit === text.length && current.some((n) => n > 0)) candidates.forEach((_, k) => counts[k]!.push(current[k]!));
  let best: Delimiter = ',';
  let bestScore = -1;
  candidates.forEach((candidate, k) => {
    const perLine = counts[k]!;
    if (perLine.length === 0) return;
    const tally = new Map<number, number>();
    for (const n of perLine) tally.set(n, (tally.get(n) ?? 0) + 1);
    let mode = 0;
    let modeLines = 0;
    for (const [n, lineCount] of tally) if (lineCount > modeLines || (lineCount === modeLines && n > mode)) [mode, modeLines] = [n, lineCount];
    if (mode === 0) return;
    const score = (modeLines / perLine.length) * 1e6 + Math.min(mode, 999_999) / 1e3;
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  });
  return best;
}

/** Options for tokenizing. */
export interface DelimitedOptions {
  /** The delimiter. */
  delimiter: Delimiter;
  /** Whether the first row holds column names (default true). */
  header?: boolean;
  /** Called every 65,536 rows so a long parse can be cancelled (it may throw). */
  checkpoint?: (rowsSoFar: number) => void;
}

/** Tokenizes delimited text into field offsets (see the file header). */
export function tokenizeDelimited(text: string, options: DelimitedOptions): DelimitedText {
  return tokenize(text, 0, (start, end) => text.slice(start, end), options);
}

/** Options for tokenizing bytes. */
export interface DelimitedBytesOptions extends DelimitedOptions {
  /** Where the text starts (3 after a UTF-8 byte-order mark). */
  offset?: number;
  /** Decodes a field's bytes (UTF-8 or Windows-1252; it must not drop a leading U+FEFF). */
  decode: (bytes: Uint8Array) => string;
}

/**
 * Tokenizes the bytes of UTF-8 or Windows-1252 delimited text into offsets into those bytes,
 * the same grid `tokenizeDelimited` makes of the decoded text: every delimiter, quote and line
 * break is one ASCII byte in these encodings, so fields split at the same places; the header
 * and escaped fields are decoded (the file is never one string).
 */
export function tokenizeDelimitedBytes(bytes: Uint8Array, options: DelimitedBytesOptions): DelimitedText<Uint8Array> {
  return tokenize(bytes, options.offset ?? 0, (start, end) => options.decode(bytes.subarray(start, end)), options);
}

function tokenize<T extends CodeUnits>(text: T, begin: number, slice: (start: number, end: number) => string, options: DelimitedOptions): DelimitedText<T> {
  const delim = options.delimiter.charCodeAt(0);
  const n = text.length;
  const escaped: string[] = [];
  let unterminatedQuote = false;
  let pos = begin;

  // Field being read: its offsets, or an escaped index; set by readField.
  let fieldStart = 0;
  let fieldEnd = 0;
  let lineEnded = false;

  /** Reads one field from `pos`; leaves `pos` after its delimiter or line break. */
  const readField = (): void => {
    if (codeAt(text, pos) === QUOTE) {
      const open = pos + 1;
      let i = open;
      let doubled = false;
      for (;;) {
        const quote = quoteAt(text, i);
        if (quote < 0) {
          unterminatedQuote = true;
          i = n;
          break;
        }
        if (codeAt(text, quote + 1) === QUOTE) {
          doubled = true;
          i = quote + 2;
          continue;
        }
        i = quote;
        break;
      }
      const close = i;
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      const tailStart = close + 1;
      const after = tailStart < n ? breakAt(text, tailStart, n, delim) : tailStart;
      if (doubled || after > tailStart) {
        const inner = slice(open, close);
        escaped.push((doubled ? inner.replaceAll('""', '"') : inner) + slice(tailStart, after));
        fieldStart = -2 - (escaped.length - 1);
        fieldEnd = -1;
      } else {
        fieldStart = open;
        fieldEnd = close;
      }
      pos = after;
    } else {
      const i = breakAt(text, pos, n, delim);
      fieldStart = pos;
      fieldEnd = i;
      pos = i;
    }
    if (pos >= n) {
      lineEnded = true;
      return;
    }
    const c = codeAt(text, pos);
    if (c === delim) {
      pos++;
      lineEnded = false;
    } else {
      lineEnded = true;
      pos++;
      if (c === CR && codeAt(text, pos) === LF) pos++;
    }
  };

  // Header (or the first record's width when there is none).
  const headerFields: string[] = [];
  const headerStart = pos;
  while (pos < n) {
    readField();
    headerFields.push(fieldStart <= -2 ? (escaped[-2 - fieldStart] ?? '') : slice(fieldStart, fieldEnd));
    if (lineEnded) break;
  }
  const hasHeader = options.header !== false;
  if (!hasHeader) {
    pos = headerStart;
    escaped.length = 0;
  }
  const width = headerFields.length;
  const { names, renamed } = hasHeader ? uniqueNames(headerFields) : { names: headerFields.map((_, i) => `col${i + 1}`), renamed: 0 };

  // Capacity from the average line length of the first lines, grown when needed.
  const sampleEnd = Math.min(n, pos + 65_536);
  let sampleLines = 0;
  for (let i = pos; i < sampleEnd; i++) if (codeAt(text, i) === LF) sampleLines++;
  const perLine = sampleLines > 0 ? (sampleEnd - pos) / sampleLines : Math.max(1, sampleEnd - pos);
  let capacity = Math.max(16, Math.ceil(((n - pos) / perLine) * 1.05) + 16);
  // Offsets past 2^31 − 1 (a text of 2 GiB or more) do not fit 32 bits: such a grid takes 8 bytes a field.
  const wide = n > 2 ** 31 - 1;
  let starts = newStarts(capacity * width, wide);
  let rows = 0;
  let longRows = 0;
  let firstLongRow = 0;
  let shortRows = 0;

  while (pos < n && width > 0) {
    if (rows === capacity) {
      capacity = Math.ceil(capacity * 1.5);
      const s2 = newStarts(capacity * width, wide);
      s2.set(starts);
      starts = s2;
    }
    const base = rows * width;
    let k = 0;
    let blank = false;
    do {
      readField();
      if (k === 0 && lineEnded && fieldStart === fieldEnd && fieldStart >= 0) {
        blank = true;
        break;
      }
      if (k < width) {
        starts[base + k] = fieldStart;
      }
      k++;
    } while (!lineEnded);
    if (blank) continue;
    if (k > width) {
      longRows++;
      if (firstLongRow === 0) firstLongRow = rows + 1;
    }
    else if (k < width) {
      shortRows++;
      for (let j = k; j < width; j++) starts[base + j] = -1;
    }
    rows++;
    if (options.checkpoint && (rows & 0xffff) === 0) options.checkpoint(rows);
  }
  return {
    text,
    names,
    rowCount: rows,
    width,
    delimiter: options.delimiter,
    starts: starts.subarray(0, rows * width),
    escaped,
    longRows,
    firstLongRow,
    shortRows,
    unterminatedQuote,
    renamedHeaders: renamed,
  };
}

function newStarts(length: number, wide: boolean): Int32Array | Float64Array {
  return wide ? new Float64Array(length) : new Int32Array(length);
}

/**
 * Where the field starting at `start` (a non-negative entry of `starts`) ends. A field whose
 * start follows a quote was quoted without escapes and ends at the next quote (or the end of an
 * unterminated text); any other field ends at the next delimiter or line break. No unquoted
 * field can start right after a quote: fields start after a delimiter or a line break.
 */
export function fieldEnd(grid: Pick<DelimitedText<CodeUnits>, 'text' | 'delimiter'>, start: number): number {
  const text = grid.text;
  if (start > 0 && codeAt(text, start - 1) === QUOTE) {
    const close = quoteAt(text, start);
    return close < 0 ? text.length : close;
  }
  return breakAt(text, start, text.length, grid.delimiter.charCodeAt(0));
}

/** The first quote at or after `from`, or −1. */
function quoteAt(text: CodeUnits, from: number): number {
  return typeof text === 'string' ? text.indexOf('"', from) : text.indexOf(QUOTE, from);
}

/** The first delimiter or line break at or after `from` (before `n`), or `n`: one loop per kind of text, so each stays monomorphic. */
function breakAt(text: CodeUnits, from: number, n: number, delim: number): number {
  let i = from;
  if (typeof text === 'string') {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === delim || c === LF || c === CR) break;
      i++;
    }
    return i;
  }
  while (i < n) {
    const c = text[i]!;
    if (c === delim || c === LF || c === CR) break;
    i++;
  }
  return i;
}

/**
 * Trims header names and makes them unique and non-empty (`column_3`, `name_2`). The name
 * `__proto__` counts as taken (it becomes `__proto___2`): table libraries keep columns in plain
 * objects, where that key would replace the prototype instead of holding a column.
 */
export function uniqueNames(raw: readonly string[]): { names: string[]; renamed: number } {
  const seen = new Set<string>(['__proto__']);
  let renamed = 0;
  const names = raw.map((name, i) => {
    let base = name.trim();
    if (base === '') {
      base = `column_${i + 1}`;
      renamed++;
    }
    let candidate = base;
    for (let k = 2; seen.has(candidate); k++) candidate = `${base}_${k}`;
    if (candidate !== base) renamed++;
    seen.add(candidate);
    return candidate;
  });
  return { names, renamed };
}
