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
 * indistinguishable from a trailing line break). With the 'whitespace' delimiter a field ends
 * at a space or tab, the run after it is one separator, and blanks that open or close a line
 * separate nothing.
 */

/**
 * Delimiters a person can choose (besides 'auto'). 'whitespace': fields separated by runs of
 * spaces or tabs, leading and trailing ones ignored — a fixed-width log as it was printed
 * (`00001 19970101  1  11.77`).
 */
export const delimiterChoices = ['auto', ',', ';', '\t', '|', 'whitespace'] as const;

/** One of the delimiter choices. */
export type DelimiterChoice = (typeof delimiterChoices)[number];

/** A concrete delimiter. */
export type Delimiter = Exclude<DelimiterChoice, 'auto'>;

/** What a walk over delimited text found about its rows and header (both the grid tokenizer and typed-csv.ts report it). */
export interface DelimitedShape {
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

/** Field offsets of a delimited text (a string, or ASCII-compatible bytes). */
export interface DelimitedText<T extends CodeUnits = string> extends DelimitedShape {
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
}

import { codeAt, type CodeUnits } from './code-units.ts';

/** Character codes the delimited-text walkers test (the same in UTF-16, UTF-8 and Windows-1252). */
export const QUOTE = 34;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const TAB = 9;

/** What the sniffer saw: the delimiter, and in one line why. */
export interface SniffedDelimiter {
  /** The delimiter chosen. */
  delimiter: Delimiter;
  /** Why (fields per line and on how many of the first lines). */
  reason: string;
}

/** A delimiter's name in messages. */
export function delimiterName(delimiter: Delimiter): string {
  switch (delimiter) {
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '\t':
      return 'tab';
    case '|':
      return 'pipe';
    case 'whitespace':
      return 'runs of spaces or tabs';
    default: {
      const never: never = delimiter;
      return never;
    }
  }
}

/** The fields of one line split on a delimiter, quotes left on (for looking at a file's first lines). */
export function splitLine(line: string, delimiter: Delimiter): string[] {
  if (delimiter !== 'whitespace') return line.split(delimiter);
  const trimmed = line.replace(/^[ \t]+|[ \t]+$/g, '');
  return trimmed === '' ? [''] : trimmed.split(/[ \t]+/);
}

/**
 * Whether the first lines' fields are padded with spaces or tabs (inside quotes or not), as a
 * fixed-width log converted to CSV keeps them (`00001,  19970101,   1,  11.77`): padded when
 * at least 3 fields and a tenth of the non-empty ones start or end with a blank. Never for the
 * 'whitespace' delimiter, whose fields hold no blanks.
 */
export function paddedFields(text: string, delimiter: Delimiter, maxLines = 30): { padded: boolean; reason: string } {
  if (delimiter === 'whitespace') return { padded: false, reason: 'fields separated by blanks hold none' };
  const lines = text.split(/\r?\n/, maxLines + 1).slice(0, maxLines).filter((l) => l.trim() !== '');
  let filled = 0;
  let padded = 0;
  for (const line of lines) {
    for (const raw of splitLine(line, delimiter)) {
      const field = /^[ \t]*"(.*)"[ \t]*$/.exec(raw)?.[1] ?? raw;
      if (field.trim() === '') continue;
      filled++;
      if (/^[ \t]|[ \t]$/.test(field)) padded++;
    }
  }
  const yes = padded >= 3 && padded * 10 >= filled;
  return { padded: yes, reason: `${padded} of ${filled} fields on the first ${lines.length} lines ${yes ? 'are padded with spaces, so they are read trimmed' : 'are padded with spaces'}` };
}

/**
 * Guesses the delimiter from the first lines: the candidate whose count per line (outside
 * quotes) is the same on most lines, header included, and above zero; ties go to the larger
 * count, then to the order `,` `;` tab `|`. Runs of spaces or tabs between fields (outside
 * quotes, not at the ends of a line) are the last candidate: they win only when they split
 * the lines more consistently than every character does, so a padded CSV
 * (`00001, 19970101,  1`) stays comma-separated. A file with none of them is one column (`,`).
 */
export function sniffDelimiter(text: string, maxLines = 30): Delimiter {
  return sniffDelimiterWithReason(text, maxLines).delimiter;
}

/** sniffDelimiter, with the reason for its choice. */
export function sniffDelimiterWithReason(text: string, maxLines = 30): SniffedDelimiter {
  const candidates: Delimiter[] = [',', ';', '\t', '|', 'whitespace'];
  const chars = [44, 59, 9, 124];
  const ws = candidates.length - 1;
  const counts: number[][] = candidates.map(() => []);
  const current = candidates.map(() => 0);
  let inQuote = false;
  let lines = 0;
  // Whitespace runs: a run counts once a field follows it on the same line.
  let seenField = false;
  let inRun = false;
  const limit = Math.min(text.length, 1 << 20);
  const endLine = (): void => {
    candidates.forEach((_, k) => counts[k]!.push(current[k]!));
    current.fill(0);
    seenField = false;
    inRun = false;
    lines++;
  };
  for (let i = 0; i < limit && lines < maxLines; i++) {
    const c = text.charCodeAt(i);
    if (!inQuote && (c === LF || c === CR)) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      endLine();
      continue;
    }
    if (!inQuote && (c === 32 || c === 9)) {
      if (seenField) inRun = true;
    } else {
      if (inRun) current[ws]!++;
      inRun = false;
      seenField = true;
    }
    if (c === QUOTE) inQuote = !inQuote;
    else if (!inQuote) {
      for (let k = 0; k < chars.length; k++) if (c === chars[k]) current[k]!++;
    }
  }
  // A last line without a line break counts when the sample ended at the end of the text.
  if (lines < maxLines && limit === text.length && (current.some((n) => n > 0) || seenField)) endLine();
  let best: Delimiter = ',';
  let bestScore = -1;
  let bestConsistency = 0;
  let bestWhy = 'no comma, semicolon, tab, pipe or run of spaces on the first lines: one column';
  candidates.forEach((candidate, k) => {
    const perLine = counts[k]!;
    if (perLine.length === 0) return;
    const tally = new Map<number, number>();
    for (const n of perLine) tally.set(n, (tally.get(n) ?? 0) + 1);
    let mode = 0;
    let modeLines = 0;
    for (const [n, lineCount] of tally) if (lineCount > modeLines || (lineCount === modeLines && n > mode)) [mode, modeLines] = [n, lineCount];
    if (mode === 0) return;
    const consistency = modeLines / perLine.length;
    const score = consistency * 1e6 + Math.min(mode, 999_999) / 1e3;
    // Whitespace must split the lines more consistently than the best character, not merely as well.
    const wins = k === ws ? consistency >= 0.8 && consistency > bestConsistency : score > bestScore;
    if (wins) {
      bestScore = score;
      bestConsistency = consistency;
      best = candidate;
      bestWhy = `${delimiterName(candidate)}: ${mode + 1} fields on ${modeLines} of the first ${perLine.length} lines`;
    }
  });
  return { delimiter: best, reason: bestWhy };
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

/** The character codes that end an unquoted field: the delimiter's, twice, or space and tab for 'whitespace'. */
function breakCodes(delimiter: Delimiter): [number, number] {
  return delimiter === 'whitespace' ? [SPACE, TAB] : [delimiter.charCodeAt(0), delimiter.charCodeAt(0)];
}

function tokenize<T extends CodeUnits>(text: T, begin: number, slice: (start: number, end: number) => string, options: DelimitedOptions): DelimitedText<T> {
  const [delim, alt] = breakCodes(options.delimiter);
  const runs = options.delimiter === 'whitespace';
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
    if (runs) pos = skipBlanks(text, pos, n);
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
      const after = tailStart < n ? breakAt(text, tailStart, n, delim, alt) : tailStart;
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
      const i = breakAt(text, pos, n, delim, alt);
      fieldStart = pos;
      fieldEnd = i;
      pos = i;
    }
    // A run of blanks is one separator, and blanks before the line break separate nothing.
    if (runs) {
      const next = skipBlanks(text, pos, n);
      const c = next < n ? codeAt(text, next) : LF;
      if (next > pos && c !== LF && c !== CR) {
        pos = next;
        lineEnded = false;
        return;
      }
      pos = next;
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
  const [delim, alt] = breakCodes(grid.delimiter);
  return breakAt(text, start, text.length, delim, alt);
}

/** The first position at or after `from` (before `n`) that is not a space or tab. */
function skipBlanks(text: CodeUnits, from: number, n: number): number {
  let i = from;
  while (i < n) {
    const c = codeAt(text, i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

/** The first quote at or after `from`, or −1. */
function quoteAt(text: CodeUnits, from: number): number {
  return typeof text === 'string' ? text.indexOf('"', from) : text.indexOf(QUOTE, from);
}

/** The first delimiter (`delim` or `alt`) or line break at or after `from` (before `n`), or `n`: one loop per kind of text, so each stays monomorphic. */
function breakAt(text: CodeUnits, from: number, n: number, delim: number, alt: number): number {
  let i = from;
  if (typeof text === 'string') {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === delim || c === alt || c === LF || c === CR) break;
      i++;
    }
    return i;
  }
  while (i < n) {
    const c = text[i]!;
    if (c === delim || c === alt || c === LF || c === CR) break;
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
