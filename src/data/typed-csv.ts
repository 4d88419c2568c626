/**
 * Delimited UTF-8 or Windows-1252 bytes straight to typed columns, in one walk: each field the
 * walk finds goes at once to its column, which reads it under the type the column still fits —
 * a number parsed from its bytes, a date scanned, a text numbered in a dictionary of distinct
 * byte sequences — so no grid of field offsets and no string per field is ever made, and the
 * load holds the file's bytes, the columns being built and a small constant.
 *
 * The rules are infer.ts's `buildColumn`, which stays the reference: the whole-string path
 * (UTF-16, GB18030, `fromBytes: false`) still runs it, and the tests compare both paths on every
 * kind of cell. The fields are split where csv.ts's tokenizer splits them. What one pass cannot
 * know is settled afterwards, exactly:
 * - a column that turns to text at row r (a number column meeting `C536379`) has its first r
 *   cells read again, by a second walk over those rows only;
 * - a column that ends as text although it never took text cells in the walk (dates in
 *   conflict or out of range, only missing markers) is read again whole as text;
 * - a column of a forced type other than text keeps its cells' offsets and goes through
 *   `buildColumn` itself.
 */
import type { CodeUnits } from './code-units.ts';
import { CR, LF, QUOTE, SPACE, TAB, uniqueNames, type Delimiter, type DelimitedShape } from './csv.ts';
import { addDateOrderEvidence, epochToDates, newDateOrderEvidence, newDateParts, partsToEpochMs, resolveDateOrder, scanDate } from './dates.ts';
import { buildColumn, ByteDictionary, FNV_OFFSET, FNV_PRIME, cellBoolean, cellIsMarker, cellIsNonFinite, finishNumbers, Interner, sameText, type BuiltColumn, type Cell, type DateOrderChoice, type TextCells, type TypeChoice } from './infer.ts';
import { parseNumberAt } from './numbers.ts';
import { codedTextSummary, instantSummary, numberSummary, type KnownSummary } from './stats.ts';

/** Options of `readTypedColumns`. */
export interface TypedColumnsOptions {
  /** The delimiter. */
  delimiter: Delimiter;
  /** Whether the first row holds column names. */
  header: boolean;
  /** Where the text starts (after a byte-order mark or Excel's `sep=` line). */
  offset: number;
  /** Decodes a field's bytes (UTF-8 or Windows-1252; it must not drop a leading U+FEFF). */
  decode: (bytes: Uint8Array) => string;
  /** Whether spaces and tabs around each field are dropped. */
  trim: boolean;
  /** Type per column name ('auto' or absent = infer). */
  types: ReadonlyMap<string, TypeChoice>;
  /** Order of `A/B/YYYY` dates. */
  dateOrder: DateOrderChoice;
  /** Files with more columns than this get their names only (the caller refuses them). */
  maxColumns: number;
  /** Also summarise each column for statistics, keeping this many top values (see stats.ts KnownSummary); none when absent. */
  summaryTopCount?: number;
  /** Whether distinct byte sequences decode to distinct text (valid UTF-8, Windows-1252), so that a text column's codes can be counted instead of its values. */
  distinctBytesDistinctText: boolean;
  /** Called every 65,536 rows and between columns; may throw to cancel. */
  checkpoint?: () => void;
}

/** Typed columns of delimited bytes and what the walk found (as csv.ts's `DelimitedText` reports it). */
export interface TypedColumns extends DelimitedShape {
  /** Column names (from the header row, or col1, col2, ... without one). */
  names: string[];
  /** One built column per name (none when there are more than `maxColumns` names). */
  columns: BuiltColumn[];
  /** Per column, its summary for statistics when `summaryTopCount` asked for them and the column allowed it cheaply. */
  summaries: (KnownSummary | null)[];
  /** Number of data rows. */
  rowCount: number;
  /** Fields per row (= names.length). */
  width: number;
}

/** Reads typed columns from delimited bytes (see the file header). */
export function readTypedColumns(bytes: Uint8Array, options: TypedColumnsOptions): TypedColumns {
  const walker = new FieldWalker(bytes, options.offset, options.delimiter, options.decode);
  const n = bytes.length;
  const headerFields: string[] = [];
  const headerStart = walker.pos;
  while (walker.pos < n) {
    walker.field();
    headerFields.push(walker.escaped ?? options.decode(bytes.subarray(walker.start, walker.end)));
    if (walker.lineEnded) break;
  }
  if (!options.header) walker.pos = headerStart;
  const width = headerFields.length;
  const { names, renamed } = options.header ? uniqueNames(headerFields) : { names: headerFields.map((_, i) => `col${i + 1}`), renamed: 0 };
  if (width > options.maxColumns) return { names, columns: [], summaries: [], rowCount: 0, width, longRows: 0, firstLongRow: 0, shortRows: 0, unterminatedQuote: walker.unterminated, renamedHeaders: renamed };
  const dataStart = walker.pos;
  // Capacity from the average line length of the first lines, grown when needed.
  const sampleEnd = Math.min(n, dataStart + 65_536);
  let sampleLines = 0;
  for (let i = dataStart; i < sampleEnd; i++) if (bytes[i] === LF) sampleLines++;
  const perLine = sampleLines > 0 ? (sampleEnd - dataStart) / sampleLines : Math.max(1, sampleEnd - dataStart);
  const capacity = Math.max(16, Math.ceil(((n - dataStart) / perLine) * 1.05) + 16);
  const wide = n > 2 ** 31 - 1;
  // Trimmed fields are read by the general path only.
  const fastDelimiter = options.trim ? -1 : walker.fastDelimiter;
  const builders = names.map((name) => new ColumnBuilder(bytes, options.decode, options.trim, options.types.get(name) ?? 'auto', capacity, wide, fastDelimiter));
  const walked = walkRows(walker, builders, width, Number.POSITIVE_INFINITY, capacity, options.checkpoint);
  const rows = walked.rows;
  const unterminatedQuote = walker.unterminated;
  // Columns that must read some first rows again as text: one more walk over the longest such prefix.
  let prefix = 0;
  for (const builder of builders) prefix = Math.max(prefix, builder.settle(rows, options.dateOrder));
  if (prefix > 0) {
    options.checkpoint?.();
    for (const builder of builders) builder.startPrefix();
    walker.pos = dataStart;
    walkRows(walker, builders, width, prefix, capacity, options.checkpoint);
    for (const builder of builders) builder.endPrefix();
  }
  const columns: BuiltColumn[] = [];
  const summaries: (KnownSummary | null)[] = [];
  const summarise = options.summaryTopCount === undefined ? null : { topCount: options.summaryTopCount, codes: options.distinctBytesDistinctText };
  for (const builder of builders) {
    options.checkpoint?.();
    const finished = builder.finish(rows, options.dateOrder, summarise);
    columns.push(finished.built);
    summaries.push(finished.summary);
  }
  return { names, columns, summaries, rowCount: rows, width, longRows: walked.longRows, firstLongRow: walked.firstLongRow, shortRows: walked.shortRows, unterminatedQuote, renamedHeaders: renamed };
}

/** Walks data rows from `walker.pos`, handing each field to its column's builder; stops after `rowLimit` rows. */
function walkRows(walker: FieldWalker, builders: ColumnBuilder[], width: number, rowLimit: number, startCapacity: number, checkpoint: (() => void) | undefined): { rows: number; longRows: number; firstLongRow: number; shortRows: number } {
  const n = walker.bytes.length;
  let capacity = startCapacity;
  let rows = 0;
  let longRows = 0;
  let firstLongRow = 0;
  let shortRows = 0;
  while (walker.pos < n && width > 0 && rows < rowLimit) {
    if (rows === capacity) {
      capacity = Math.ceil(capacity * 1.5);
      for (const builder of builders) builder.grow(capacity);
    }
    let k = 0;
    let blank = false;
    do {
      const builder = k < width ? builders[k]! : null;
      // A column's own reading of a plain field, in the same loop that finds the field's end (see ColumnBuilder.fast).
      const fast = builder !== null ? builder.fast : NO_FAST;
      if (fast === FAST_NUMBER && walker.number()) builder!.numberValue(rows, walker.value);
      else if (fast === FAST_TEXT && walker.hashed()) builder!.hashedText(rows, walker.start, walker.end, walker.hash, walker.high);
      else if (fast === FAST_DATE && walker.sameAs(builder!.scannedStart, builder!.scannedEnd)) builder!.sameDate(rows);
      else {
        walker.field();
        if (k === 0 && walker.lineEnded && walker.escaped === null && walker.start === walker.end) {
          blank = true;
          break;
        }
        if (builder !== null) {
          if (walker.escaped === null) builder.bytesCell(rows, walker.start, walker.end);
          else builder.textCell(rows, walker.escaped);
        }
      }
      k++;
    } while (!walker.lineEnded);
    if (blank) continue;
    if (k > width) {
      longRows++;
      if (firstLongRow === 0) firstLongRow = rows + 1;
    } else if (k < width) {
      shortRows++;
      for (let j = k; j < width; j++) builders[j]!.emptyCell(rows);
    }
    rows++;
    if (checkpoint && (rows & 0xffff) === 0) checkpoint();
  }
  return { rows, longRows, firstLongRow, shortRows };
}

/**
 * The field splitter of csv.ts's tokenizer, for bytes: after `field()`, the field is
 * `bytes[start, end)`, or `escaped` when it had doubled quotes or text after its closing quote.
 */
class FieldWalker {
  readonly bytes: Uint8Array;
  /** Where the next field starts. */
  pos: number;
  /** Start of the field read. */
  start = 0;
  /** End (exclusive) of the field read. */
  end = 0;
  /** The unescaped text of the field read, or null when it is `bytes[start, end)`. */
  escaped: string | null = null;
  /** Whether the field read ended its line. */
  lineEnded = false;
  /** Whether the text ended inside a quoted field. */
  unterminated = false;
  /** The value read by `number()`. */
  value = 0;
  /** The FNV-1a hash of the field read by `hashed()`. */
  hash = 0;
  /** The OR of the bytes of the field read by `hashed()` (below 0x80: ASCII). */
  high = 0;
  /** The delimiter's byte, or −1 for runs of blanks (where no field is read by the fast readers). */
  readonly fastDelimiter: number;
  private readonly delim: number;
  private readonly alt: number;
  private readonly runs: boolean;
  private readonly decode: (bytes: Uint8Array) => string;

  constructor(bytes: Uint8Array, begin: number, delimiter: Delimiter, decode: (bytes: Uint8Array) => string) {
    this.bytes = bytes;
    this.pos = begin;
    this.runs = delimiter === 'whitespace';
    this.delim = this.runs ? SPACE : delimiter.charCodeAt(0);
    this.alt = this.runs ? TAB : this.delim;
    this.fastDelimiter = this.runs ? -1 : this.delim;
    this.decode = decode;
  }

  /** Moves past the delimiter or line break at `pos` (the end of an unquoted field), as `field` does. */
  private endField(at: number): void {
    const bytes = this.bytes;
    let pos = at;
    if (pos >= bytes.length) {
      this.pos = pos;
      this.lineEnded = true;
      return;
    }
    const c = bytes[pos];
    pos++;
    if (c === this.delim) this.lineEnded = false;
    else {
      this.lineEnded = true;
      if (c === CR && bytes[pos] === LF) pos++;
    }
    this.pos = pos;
  }

  /**
   * Reads the next field when it is a plain decimal that parseNumberAt reads on its fast path
   * with the same operations — a sign, at most 15 digits in all, no leading zero, an optional
   * fraction — into `value`; false, with nothing read, for any other field.
   */
  number(): boolean {
    const bytes = this.bytes;
    const n = bytes.length;
    const delim = this.delim;
    let i = this.pos;
    let negative = false;
    const first = bytes[i];
    if (first === 45 || first === 43) {
      negative = first === 45;
      i++;
    }
    const intStart = i;
    let mantissa = 0;
    while (i < n) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      i++;
    }
    const intDigits = i - intStart;
    if (intDigits > 15 || (intDigits > 1 && bytes[intStart] === 48)) return false;
    let fraction = 0;
    if (i < n && bytes[i] === 46) {
      i++;
      const fractionStart = i;
      while (i < n) {
        const d = bytes[i]! - 48;
        if (d < 0 || d > 9) break;
        mantissa = mantissa * 10 + d;
        i++;
      }
      fraction = i - fractionStart;
      if (intDigits + fraction > 15 || (intDigits === 0 && fraction === 0)) return false;
    } else if (intDigits === 0) return false;
    if (i < n) {
      const c = bytes[i];
      if (c !== delim && c !== LF && c !== CR) return false;
    }
    const magnitude = fraction === 0 ? mantissa : mantissa / exactPowers[fraction]!;
    this.value = negative ? -magnitude : magnitude;
    this.endField(i);
    return true;
  }

  /** Reads the next field when it is unquoted and not empty, hashing its bytes as ByteDictionary does; false, with nothing read, otherwise. */
  hashed(): boolean {
    const bytes = this.bytes;
    const n = bytes.length;
    const delim = this.delim;
    const start = this.pos;
    if (bytes[start] === QUOTE) return false;
    let h = HASH_OFFSET;
    let high = 0;
    let i = start;
    while (i < n) {
      const c = bytes[i]!;
      if (c === delim || c === LF || c === CR) break;
      high |= c;
      h = Math.imul(h ^ c, HASH_PRIME);
      i++;
    }
    if (i === start) return false;
    this.start = start;
    this.end = i;
    this.hash = h;
    this.high = high;
    this.endField(i);
    return true;
  }

  /** Reads the next field when it is unquoted and holds exactly the bytes `bytes[start, end)` (which hold no delimiter or line break); false, with nothing read, otherwise. */
  sameAs(start: number, end: number): boolean {
    const bytes = this.bytes;
    const from = this.pos;
    const length = end - start;
    if (from + length > bytes.length) return false;
    for (let k = 0; k < length; k++) if (bytes[from + k] !== bytes[start + k]) return false;
    const at = from + length;
    if (at < bytes.length) {
      const c = bytes[at];
      if (c !== this.delim && c !== LF && c !== CR) return false;
    }
    this.start = from;
    this.end = at;
    this.endField(at);
    return true;
  }

  private slice(start: number, end: number): string {
    return this.decode(this.bytes.subarray(start, end));
  }

  /** Reads one field from `pos`; leaves `pos` after its delimiter or line break. */
  field(): void {
    const bytes = this.bytes;
    const n = bytes.length;
    const delim = this.delim;
    const alt = this.alt;
    let pos = this.pos;
    if (this.runs) pos = skipBlanks(bytes, pos, n);
    if (bytes[pos] === QUOTE) {
      const open = pos + 1;
      let i = open;
      let doubled = false;
      for (;;) {
        const quote = bytes.indexOf(QUOTE, i);
        if (quote < 0) {
          this.unterminated = true;
          i = n;
          break;
        }
        if (bytes[quote + 1] === QUOTE) {
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
      const after = tailStart < n ? breakAt(bytes, tailStart, n, delim, alt) : tailStart;
      if (doubled || after > tailStart) {
        const inner = this.slice(open, close);
        this.escaped = (doubled ? inner.replaceAll('""', '"') : inner) + this.slice(tailStart, after);
        this.start = 0;
        this.end = 0;
      } else {
        this.escaped = null;
        this.start = open;
        this.end = close;
      }
      pos = after;
    } else {
      const i = breakAt(bytes, pos, n, delim, alt);
      this.escaped = null;
      this.start = pos;
      this.end = i;
      pos = i;
    }
    // A run of blanks is one separator, and blanks before the line break separate nothing.
    if (this.runs) {
      const next = skipBlanks(bytes, pos, n);
      const c = next < n ? bytes[next]! : LF;
      if (next > pos && c !== LF && c !== CR) {
        this.pos = next;
        this.lineEnded = false;
        return;
      }
      pos = next;
    }
    if (pos >= n) {
      this.pos = pos;
      this.lineEnded = true;
      return;
    }
    const c = bytes[pos];
    pos++;
    if (c === delim) this.lineEnded = false;
    else {
      this.lineEnded = true;
      if (c === CR && bytes[pos] === LF) pos++;
    }
    this.pos = pos;
  }
}

/** The first byte at or after `from` (before `n`) that is not a space or tab. */
function skipBlanks(bytes: Uint8Array, from: number, n: number): number {
  let i = from;
  while (i < n) {
    const c = bytes[i]!;
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

/** The first delimiter (`delim` or `alt`) or line break at or after `from` (before `n`), or `n`. */
function breakAt(bytes: Uint8Array, from: number, n: number, delim: number, alt: number): number {
  let i = from;
  while (i < n) {
    const c = bytes[i]!;
    if (c === delim || c === alt || c === LF || c === CR) break;
    i++;
  }
  return i;
}

// Module copies of the hash's constants: an imported binding can cost a getter call on every read in the walk's inner loop.
const HASH_OFFSET = FNV_OFFSET;
const HASH_PRIME = FNV_PRIME;

/** Powers of ten that are exact doubles (10^0 … 10^15), as parseNumberAt divides by them. */
const exactPowers = Array.from({ length: 16 }, (_, k) => 10 ** k);

// Which fast reader the walk may try on a column's next field.
const NO_FAST = 0;
const FAST_NUMBER = 1;
const FAST_TEXT = 2;
const FAST_DATE = 3;

// What a column still fits, as buildColumn's flags say it: nothing but missing cells yet
// (every type), numbers, booleans, dates, text; or a forced type's cells kept for buildColumn.
const UNDECIDED = 0;
const NUMBER = 1;
const BOOLEAN = 2;
const DATE = 3;
const TEXT = 4;
const COLLECT = 5;
// The second walk: a text column reads its rows below `textFrom`; the others skip.
const PREFIX = 6;
const SKIP = 7;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * One column being typed as the walk hands it cells, in row order. It follows buildColumn's
 * loop cell by cell (the same tests in the same order) and keeps what that loop's result
 * needs: numbers or instants, booleans, or text numbers in a byte dictionary.
 */
class ColumnBuilder implements Cell {
  text: CodeUnits;
  start = 0;
  end = 0;
  /**
   * The walk's fast reader for this column's next field: numbers while it is a number column,
   * hashing while it is text, the last date's bytes while it is a date column (when they hold
   * no delimiter or line break). A field the fast reader declines goes the general way.
   */
  fast = NO_FAST;
  /** Where the last date scanned lies in the file's bytes (FAST_DATE only). */
  scannedStart = 0;
  /** Where it ends. */
  scannedEnd = 0;
  private mode: number;
  private readonly fastDelimiter: number;
  private modeBeforePrefix = UNDECIDED;
  private readonly bytes: Uint8Array;
  /** Decodes bytes of the file. */
  readonly decodeBytes: (bytes: Uint8Array) => string;
  private readonly trim: boolean;
  private readonly choice: TypeChoice;
  private readonly wide: boolean;
  private capacity: number;
  // Counts as buildColumn keeps them.
  private nonEmpty = 0;
  private empties = 0;
  private present = 0;
  private markers = 0;
  private markerExample: string | null = null;
  private nonFinite = 0;
  private nonFiniteExample = '';
  private integers = true;
  // Numbers, or instants of dates (day-first for A/B/YYYY); NaN where missing.
  private numbers: Float64Array | null = null;
  // Booleans: 1, 0, or −1 for missing.
  private booleans: Int8Array | null = null;
  // Dates: month-first instants, kept from the first A/B/YYYY value on; invalid instants per order.
  private monthFirst: Float64Array | null = null;
  private readonly parts = newDateParts();
  private readonly evidence = newDateOrderEvidence();
  private invalidDayFirst = 0;
  private invalidMonthFirst = 0;
  private scanned: CodeUnits | null = null;
  private scannedDayFirst = Number.NaN;
  private scannedMonthFirst = Number.NaN;
  // Text: the row from which the walk recorded cells, and whether rows before it hold any.
  private textFrom = 0;
  private needsPrefix = false;
  private textDateOrder: BuiltColumn['dateOrder'] = null;
  private dictionary: ByteDictionary | null = null;
  private ids: Int32Array | null = null;
  private others: (string | null)[] | null = null;
  private interner: Interner | null = null;
  private last: Uint8Array | null = null;
  private lastStart = 0;
  private lastEnd = 0;
  private lastId = -1;
  private lastHash = 0;
  private lastHashed = false;
  // A forced type's cells: start (−1 missing, −2 − k for kept[k]) and end.
  private starts: Int32Array | Float64Array | null = null;
  private ends: Int32Array | Float64Array | null = null;
  private kept: string[] = [];

  constructor(bytes: Uint8Array, decode: (bytes: Uint8Array) => string, trim: boolean, choice: TypeChoice, capacity: number, wide: boolean, fastDelimiter: number) {
    this.bytes = bytes;
    this.fastDelimiter = fastDelimiter;
    this.text = bytes;
    this.decodeBytes = decode;
    this.trim = trim;
    this.choice = choice;
    this.capacity = capacity;
    this.wide = wide;
    if (choice === 'auto') this.mode = UNDECIDED;
    else if (choice === 'text') {
      this.mode = TEXT;
      this.ids = new Int32Array(capacity);
      this.fast = fastDelimiter >= 0 ? FAST_TEXT : NO_FAST;
    } else {
      this.mode = COLLECT;
      this.starts = wide ? new Float64Array(capacity) : new Int32Array(capacity);
      this.ends = wide ? new Float64Array(capacity) : new Int32Array(capacity);
    }
  }

  /** The range `[start, end)` of the current cell's text as a string. */
  decode(start: number, end: number): string {
    const text = this.text;
    return typeof text === 'string' ? text.slice(start, end) : this.decodeBytes(text.subarray(start, end));
  }

  /** Makes room for `capacity` rows. */
  grow(capacity: number): void {
    this.capacity = capacity;
    this.numbers = grown(this.numbers, capacity);
    this.monthFirst = grown(this.monthFirst, capacity);
    if (this.booleans !== null) {
      const next = new Int8Array(capacity);
      next.set(this.booleans);
      this.booleans = next;
    }
    if (this.ids !== null) {
      const next = new Int32Array(capacity);
      next.set(this.ids);
      this.ids = next;
    }
    if (this.others !== null) this.others.length = capacity;
    this.starts = grown(this.starts, capacity);
    this.ends = grown(this.ends, capacity);
  }

  /** Row `row`'s field is `bytes[start, end)`. */
  bytesCell(row: number, start: number, end: number): void {
    const bytes = this.bytes;
    let s = start;
    let e = end;
    if (this.trim) {
      while (s < e && isBlank(bytes[s]!)) s++;
      while (e > s && isBlank(bytes[e - 1]!)) e--;
    }
    if (s === e) {
      this.emptyCell(row);
      return;
    }
    this.text = bytes;
    this.start = s;
    this.end = e;
    this.cell(row);
  }

  /** Row `row`'s field is the unescaped text `value`. */
  textCell(row: number, value: string): void {
    let s = 0;
    let e = value.length;
    if (this.trim) {
      while (s < e && isBlank(value.charCodeAt(s))) s++;
      while (e > s && isBlank(value.charCodeAt(e - 1))) e--;
    }
    if (s === e) {
      this.emptyCell(row);
      return;
    }
    this.text = value;
    this.start = s;
    this.end = e;
    this.cell(row);
  }

  /** Row `row`'s field is empty or absent: missing. */
  emptyCell(row: number): void {
    switch (this.mode) {
      case NUMBER:
      case DATE:
        this.numbers![row] = Number.NaN;
        if (this.monthFirst !== null) this.monthFirst[row] = Number.NaN;
        break;
      case BOOLEAN:
        this.booleans![row] = -1;
        break;
      case COLLECT:
        this.starts![row] = -1;
        break;
      case PREFIX:
      case SKIP:
        // The second walk counts nothing again.
        return;
      default:
        break;
    }
    this.empties++;
  }

  /** The current cell (present, not empty) of row `row`. */
  private cell(row: number): void {
    switch (this.mode) {
      case UNDECIDED:
      case NUMBER:
        this.numberCell(row);
        break;
      case BOOLEAN:
        this.booleanCell(row);
        break;
      case DATE:
        this.dateCell(row);
        break;
      case TEXT:
        this.textValue(row);
        break;
      case COLLECT:
        this.collect(row);
        break;
      case PREFIX:
        if (row < this.textFrom) this.textValue(row);
        return;
      default:
        return;
    }
    this.nonEmpty++;
  }

  /** A cell while every cell so far was a number, non-finite, missing or a marker. */
  private numberCell(row: number): void {
    const v = parseNumberAt(this.text, this.start, this.end);
    if (v === v) {
      if (this.mode === UNDECIDED) this.becomeNumbers(row);
      this.numbers![row] = v;
      this.present++;
      if (this.integers && !Number.isInteger(v)) this.integers = false;
      return;
    }
    if (cellIsNonFinite(this)) {
      if (this.mode === UNDECIDED) this.becomeNumbers(row);
      this.numbers![row] = Number.NaN;
      if (this.nonFinite++ === 0) this.nonFiniteExample = this.decode(this.start, this.end).trim();
      return;
    }
    if (this.marker()) {
      if (this.numbers !== null) this.numbers[row] = Number.NaN;
      return;
    }
    this.present++;
    if (this.mode === NUMBER) {
      this.becomeText(row);
      return;
    }
    // The first present cell that is no number decides between boolean, date and text.
    if (cellBoolean(this, false) !== null) {
      this.booleans = new Int8Array(this.capacity);
      this.booleans.fill(-1, 0, row);
      this.booleans[row] = cellBoolean(this, false) ? 1 : 0;
      this.mode = BOOLEAN;
      return;
    }
    if (!scanDate(this.text, this.start, this.end, this.parts)) {
      this.becomeText(row);
      return;
    }
    this.numbers = new Float64Array(this.capacity);
    this.numbers.fill(Number.NaN, 0, row);
    this.mode = DATE;
    this.recordDate(row);
  }

  private becomeNumbers(row: number): void {
    this.numbers = new Float64Array(this.capacity);
    this.numbers.fill(Number.NaN, 0, row);
    this.mode = NUMBER;
    this.fast = this.fastDelimiter >= 0 ? FAST_NUMBER : NO_FAST;
  }

  /** Row `row` holds the number `v`, read by the walk's fast reader (a number column only). */
  numberValue(row: number, v: number): void {
    this.numbers![row] = v;
    this.present++;
    this.nonEmpty++;
    if (this.integers && !Number.isInteger(v)) this.integers = false;
  }

  /** Row `row` holds `bytes[start, end)`, hashed by the walk's fast reader (a text column only). */
  hashedText(row: number, start: number, end: number, h: number, high: number): void {
    const bytes = this.bytes;
    this.text = bytes;
    this.start = start;
    this.end = end;
    this.nonEmpty++;
    const last = this.last;
    // Equal bytes hash alike: a different hash is a different value, without comparing.
    const same = this.lastId >= 0 && last !== null && (!this.lastHashed || this.lastHash === h) && sameText(last, this.lastStart, this.lastEnd, bytes, start, end);
    this.dictionary ??= new ByteDictionary();
    const id = same ? this.lastId : this.dictionary.hashedId(this, bytes, start, end, h, high);
    if (id >= 0) {
      this.ids![row] = id + 1;
      this.last = bytes;
      this.lastStart = start;
      this.lastEnd = end;
      this.lastId = id;
      this.lastHash = h;
      this.lastHashed = true;
    } else this.keepOther(row, this.decode(start, end));
  }

  /** Row `row` holds the same bytes as the last date scanned, read by the walk's fast reader (a date column only). */
  sameDate(row: number): void {
    this.present++;
    this.nonEmpty++;
    this.numbers![row] = this.scannedDayFirst;
    if (this.monthFirst !== null) this.monthFirst[row] = this.scannedMonthFirst;
    if (this.scannedDayFirst !== this.scannedDayFirst) this.invalidDayFirst++;
    if (this.scannedMonthFirst !== this.scannedMonthFirst) this.invalidMonthFirst++;
  }

  /** Counts the current cell as a missing marker when it is one. */
  private marker(): boolean {
    if (!cellIsMarker(this)) return false;
    this.markers++;
    this.markerExample ??= this.decode(this.start, this.end);
    return true;
  }

  private booleanCell(row: number): void {
    if (this.marker()) {
      this.booleans![row] = -1;
      return;
    }
    this.present++;
    const b = cellBoolean(this, false);
    if (b === null) this.becomeText(row);
    else this.booleans![row] = b ? 1 : 0;
  }

  private dateCell(row: number): void {
    if (this.marker()) {
      this.numbers![row] = Number.NaN;
      if (this.monthFirst !== null) this.monthFirst[row] = Number.NaN;
      return;
    }
    this.present++;
    const scanned = this.scanned;
    if (scanned !== null && sameText(scanned, this.scannedStart, this.scannedEnd, this.text, this.start, this.end)) {
      // The same text as the last date: the same evidence (already added) and instants.
      this.numbers![row] = this.scannedDayFirst;
      if (this.monthFirst !== null) this.monthFirst[row] = this.scannedMonthFirst;
      if (this.scannedDayFirst !== this.scannedDayFirst) this.invalidDayFirst++;
      if (this.scannedMonthFirst !== this.scannedMonthFirst) this.invalidMonthFirst++;
      return;
    }
    if (scanDate(this.text, this.start, this.end, this.parts)) this.recordDate(row);
    else this.becomeText(row);
  }

  /** Keeps the date just scanned (in `parts`) as row `row`'s instants, under both orders when it is A/B/YYYY. */
  private recordDate(row: number): void {
    const parts = this.parts;
    addDateOrderEvidence(this.evidence, parts);
    const dayFirst = partsToEpochMs(parts, 'day-first');
    let monthFirst = dayFirst;
    if (!parts.yearFirst) {
      monthFirst = partsToEpochMs(parts, 'month-first');
      if (this.monthFirst === null) {
        // Until now every instant was year-first, the same under both orders.
        this.monthFirst = new Float64Array(this.capacity);
        this.monthFirst.set(this.numbers!.subarray(0, row));
      }
    }
    this.numbers![row] = dayFirst;
    if (this.monthFirst !== null) this.monthFirst[row] = monthFirst;
    if (dayFirst !== dayFirst) this.invalidDayFirst++;
    if (monthFirst !== monthFirst) this.invalidMonthFirst++;
    this.scanned = this.text;
    this.scannedStart = this.start;
    this.scannedEnd = this.end;
    this.scannedDayFirst = dayFirst;
    this.scannedMonthFirst = monthFirst;
    this.fast = this.text === this.bytes && this.plainBytes(this.start, this.end) ? FAST_DATE : NO_FAST;
  }

  /** Whether `bytes[start, end)` holds no delimiter or line break, so that a field holding them ends where they do (and the walk may read the field fast). */
  private plainBytes(start: number, end: number): boolean {
    if (this.fastDelimiter < 0) return false;
    const bytes = this.bytes;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c === this.fastDelimiter || c === LF || c === CR) return false;
    }
    return true;
  }

  /** The column is text from row `row` on (the current cell included); rows before it are read again when they hold any cell. */
  private becomeText(row: number): void {
    this.needsPrefix = this.nonEmpty > 0;
    this.textFrom = row;
    this.mode = TEXT;
    this.numbers = null;
    this.monthFirst = null;
    this.booleans = null;
    this.scanned = null;
    this.ids = new Int32Array(this.capacity);
    this.fast = this.fastDelimiter >= 0 ? FAST_TEXT : NO_FAST;
    this.textValue(row);
  }

  /** Records the current cell as text, as buildText does. */
  private textValue(row: number): void {
    const text = this.text;
    if (typeof text === 'string') {
      this.interner ??= new Interner();
      this.keepOther(row, this.interner.intern(text.slice(this.start, this.end)));
      return;
    }
    const { start, end } = this;
    this.dictionary ??= new ByteDictionary();
    const last = this.last;
    const id = this.lastId >= 0 && last !== null && sameText(last, this.lastStart, this.lastEnd, text, start, end) ? this.lastId : this.dictionary.id(this, text, start, end);
    if (id >= 0) {
      this.ids![row] = id + 1;
      this.last = text;
      this.lastStart = start;
      this.lastEnd = end;
      this.lastId = id;
      this.lastHashed = false;
    } else this.keepOther(row, this.decode(start, end));
  }

  /** A text value that is not numbered in the dictionary (unescaped text, or past the dictionary's cap). */
  private keepOther(row: number, value: string): void {
    this.others ??= new Array<string | null>(this.capacity);
    this.others[row] = value;
  }

  private collect(row: number): void {
    const text = this.text;
    if (typeof text === 'string') {
      this.kept.push(text.slice(this.start, this.end));
      this.starts![row] = -1 - this.kept.length;
      return;
    }
    this.starts![row] = this.start;
    this.ends![row] = this.end;
  }

  /**
   * After the walk over all `rows`: turns to text a column that must be (dates in conflict or
   * out of range, nothing but markers) and returns how many first rows it must read again as
   * text (0 when none).
   */
  settle(rows: number, dateOrder: DateOrderChoice): number {
    if (this.mode === UNDECIDED && this.markers > 0) this.textAfterWalk(rows, null);
    else if (this.mode === DATE) {
      const resolved = resolveDateOrder(this.evidence);
      if (resolved.status === 'conflict' && dateOrder === 'auto') this.textAfterWalk(rows, resolved);
      else if (this.evidence.yearLast || this.invalidDayFirst > 0) {
        const order = dateOrder === 'auto' ? resolved.order : dateOrder;
        // A value can scan as a date yet be out of range (31/02/2020); then the column is text.
        if ((order === 'day-first' ? this.invalidDayFirst : this.invalidMonthFirst) > 0) this.textAfterWalk(rows, null);
      }
    }
    return this.mode === TEXT && this.needsPrefix ? this.textFrom : 0;
  }

  private textAfterWalk(rows: number, dateOrder: BuiltColumn['dateOrder']): void {
    this.mode = TEXT;
    this.textFrom = rows;
    this.needsPrefix = this.nonEmpty > 0;
    this.textDateOrder = dateOrder;
    this.numbers = null;
    this.monthFirst = null;
    this.ids = new Int32Array(this.capacity);
    this.fast = NO_FAST;
  }

  /** Before the second walk: text columns with earlier rows to read take them; the rest skip. */
  startPrefix(): void {
    this.modeBeforePrefix = this.mode;
    this.mode = this.mode === TEXT && this.needsPrefix ? PREFIX : SKIP;
    this.fast = NO_FAST;
  }

  /** After the second walk: back to the column's own state. */
  endPrefix(): void {
    this.mode = this.modeBeforePrefix;
  }

  /**
   * The built column over `rows` rows, as buildColumn would return it, and with `summarise`
   * its summary for statistics when it is cheap now (numbers, dates, and text whose codes are
   * its distinct values).
   */
  finish(rows: number, dateOrder: DateOrderChoice, summarise: { topCount: number; codes: boolean } | null): { built: BuiltColumn; summary: KnownSummary | null } {
    const finished = this.finished(rows, dateOrder, summarise);
    // What the column was built from is garbage now, before the next column is finished (load holds the columns, not their makings).
    this.numbers = null;
    this.monthFirst = null;
    this.booleans = null;
    this.ids = null;
    this.others = null;
    this.dictionary = null;
    this.starts = null;
    this.ends = null;
    this.kept = [];
    this.scanned = null;
    this.last = null;
    return finished;
  }

  private finished(rows: number, dateOrder: DateOrderChoice, summarise: { topCount: number; codes: boolean } | null): { built: BuiltColumn; summary: KnownSummary | null } {
    const markers = { markersAsMissing: this.markers, markerExample: this.markerExample, unreadable: 0, unreadableExample: null };
    if (this.choice !== 'auto' && this.choice !== 'text') return { built: buildColumn(new KeptCells(this, rows), this.choice, dateOrder), summary: null };
    if (this.ids !== null || this.mode === UNDECIDED) {
      const text = this.textColumn(rows);
      const built: BuiltColumn = { ...text.built, dateOrder: this.textDateOrder };
      // Codes count as values only when each distinct value has one code: every value numbered, and distinct bytes read as distinct text.
      const coded = summarise !== null && summarise.codes && this.ids !== null && this.others === null && rows > this.empties;
      return { built, summary: coded ? { values: built.values, kind: 'text', topCount: summarise.topCount, summary: codedTextSummary(this.ids!.subarray(0, rows), text.strings, summarise.topCount) } : null };
    }
    if (this.booleans !== null) {
      const values: (boolean | null)[] = new Array<boolean | null>(rows);
      for (let i = 0; i < rows; i++) {
        const b = this.booleans[i]!;
        values[i] = b < 0 ? null : b === 1;
      }
      return { built: { ...markers, type: 'boolean', values, missing: this.empties + this.markers, dateOrder: null }, summary: null };
    }
    const missing = this.empties + this.markers;
    const numbers = this.numbers!.subarray(0, rows);
    if (this.mode === NUMBER) {
      const all = missing + this.nonFinite;
      const built: BuiltColumn = {
        ...markers,
        type: this.integers ? 'integer' : 'number',
        values: finishNumbers(all === 0 && numbers.length !== this.numbers!.length ? numbers.slice() : numbers, all),
        missing: all,
        dateOrder: null,
        ...(this.nonFinite > 0 ? { nonFinite: { count: this.nonFinite, example: this.nonFiniteExample } } : {}),
      };
      // The numbers are what readNumbers reads from the column: NaN where missing or not finite.
      return { built, summary: summarise !== null && this.present > 0 ? { values: built.values, kind: 'number', topCount: summarise.topCount, summary: numberSummary(numbers, summarise.topCount) } : null };
    }
    const resolved = resolveDateOrder(this.evidence);
    const order = dateOrder === 'auto' ? resolved.order : dateOrder;
    const yearFirstOnly = !this.evidence.yearLast && this.invalidDayFirst === 0;
    const instants = !yearFirstOnly && order === 'month-first' && this.monthFirst !== null ? this.monthFirst.subarray(0, rows) : numbers;
    const built: BuiltColumn = { ...markers, type: 'date', values: epochToDates(instants), missing, dateOrder: yearFirstOnly ? { order, status: 'not-needed' } : dateOrder === 'auto' ? resolved : { order, status: 'chosen' } };
    return { built, summary: summarise !== null && this.present > 0 ? { values: built.values, kind: 'date', topCount: summarise.topCount, summary: instantSummary(instants, summarise.topCount) } : null };
  }

  /** The text column buildText makes: recorded values by row, null where missing; and the dictionary's strings by code. */
  private textColumn(rows: number): { built: BuiltColumn; strings: string[] } {
    const strings = this.dictionary !== null ? this.dictionary.strings() : [];
    const values: (string | null)[] = new Array<string | null>(rows);
    const ids = this.ids;
    const others = this.others;
    for (let i = 0; i < rows; i++) {
      const id = ids !== null ? ids[i]! : 0;
      values[i] = id > 0 ? strings[id - 1]! : (others?.[i] ?? null);
    }
    return { built: { markersAsMissing: 0, markerExample: null, unreadable: 0, unreadableExample: null, type: 'text', values, missing: this.empties, dateOrder: null }, strings };
  }

  /** Cell `i` of a forced column, as kept: where it lies, or false when missing. */
  keptCell(i: number, into: KeptCells): boolean {
    const s = this.starts![i]!;
    if (s === -1) return false;
    if (s < -1) {
      const value = this.kept[-2 - s] ?? '';
      into.text = value;
      into.start = 0;
      into.end = value.length;
      return true;
    }
    into.text = this.bytes;
    into.start = s;
    into.end = this.ends![i]!;
    return true;
  }
}

/** A copy of `values` with room for `capacity` values; null stays null. */
function grown(values: Float64Array | null, capacity: number): Float64Array | null;
function grown(values: Int32Array | Float64Array | null, capacity: number): Int32Array | Float64Array | null;
function grown(values: Int32Array | Float64Array | null, capacity: number): Int32Array | Float64Array | null {
  if (values === null) return null;
  const next = values instanceof Float64Array ? new Float64Array(capacity) : new Int32Array(capacity);
  next.set(values);
  return next;
}

/** The cells a forced column kept, as buildColumn reads them. */
class KeptCells implements TextCells {
  readonly length: number;
  text: CodeUnits = '';
  start = 0;
  end = 0;
  private readonly builder: ColumnBuilder;

  constructor(builder: ColumnBuilder, rows: number) {
    this.builder = builder;
    this.length = rows;
  }

  seek(i: number): boolean {
    return this.builder.keptCell(i, this);
  }

  decode(start: number, end: number): string {
    const text = this.text;
    return typeof text === 'string' ? text.slice(start, end) : this.builder.decodeBytes(text.subarray(start, end));
  }
}
