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
 * The field splitter is field-walker.ts; each column's typing and finishing, column-builder.ts.
 */
import { LF, uniqueNames, type Delimiter, type DelimitedShape } from './csv.ts';
import { ColumnBuilder, FAST_DATE as DATE_READER, FAST_NUMBER as NUMBER_READER, FAST_TEXT as TEXT_READER, FAST_TEXT_AGAIN as TEXT_AGAIN_READER, NO_FAST as NO_READER } from './column-builder.ts';
import { FieldWalker } from './field-walker.ts';
import type { BuiltColumn, DateOrderChoice, TypeChoice } from './infer.ts';
import type { KnownSummary } from './stats.ts';

// Module copies of the fast readers' numbers: an imported binding can cost a getter call on every field.
const NO_FAST = NO_READER;
const FAST_NUMBER = NUMBER_READER;
const FAST_TEXT = TEXT_READER;
const FAST_DATE = DATE_READER;
const FAST_TEXT_AGAIN = TEXT_AGAIN_READER;

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

/** Delimited bytes walked, their columns not yet built (see `walkTypedColumns`). */
export interface WalkedColumns {
  /**
   * Builds the columns that read the file's bytes again (a forced type other than text) and
   * decodes the text dictionaries' values: after it the bytes are not read any more, so they
   * may be freed before the other columns' arrays are made (the load's peak otherwise holds both).
   */
  doneWithBytes(): void;
  /** The typed columns (calls `doneWithBytes` first when it was not). */
  finish(): TypedColumns;
  /**
   * `finish`, handing `free` each column's spent array buffers (what it was built from: numbers
   * or instants of a column with missing cells, text codes, the dictionary) once it is built and
   * before the next is, for a host that can free memory at once instead of at V8's next full
   * collection. The buffers are not read again; the columns share no memory with them.
   */
  finishFreeing(free: (buffers: ArrayBuffer[]) => Promise<void>): Promise<TypedColumns>;
}

/** Reads typed columns from delimited bytes (see the file header). */
export function readTypedColumns(bytes: Uint8Array, options: TypedColumnsOptions): TypedColumns {
  return walkTypedColumns(bytes, options).finish();
}

/** Walks delimited bytes into column builders (every row, and the rows read again as text), leaving the columns to be built. */
export function walkTypedColumns(bytes: Uint8Array, options: TypedColumnsOptions): WalkedColumns {
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
  if (width > options.maxColumns) {
    const header: TypedColumns = { names, columns: [], summaries: [], rowCount: 0, width, longRows: 0, firstLongRow: 0, shortRows: 0, unterminatedQuote: walker.unterminated, renamedHeaders: renamed };
    return { doneWithBytes: () => undefined, finish: () => header, finishFreeing: async () => header };
  }
  const dataStart = walker.pos;
  // Capacity from the average line length of the first lines, grown when needed.
  const sampleEnd = Math.min(n, dataStart + 65_536);
  let sampleLines = 0;
  for (let i = dataStart; i < sampleEnd; i++) if (bytes[i] === LF) sampleLines++;
  const perLine = sampleLines > 0 ? (sampleEnd - dataStart) / sampleLines : Math.max(1, sampleEnd - dataStart);
  const capacity = Math.max(16, Math.ceil(((n - dataStart) / perLine) * 1.05) + 16);
  // The columns start with room for the first rows only and take the whole capacity at once
  // when the walk reaches them: a column that changes type in its first rows (a number column
  // meeting `C536379`, the bench's first cancellation at row 850) then leaves no full-length
  // array behind.
  const firstCapacity = Math.min(capacity, firstRows);
  const wide = n > 2 ** 31 - 1;
  // Trimmed fields are read by the general path only.
  const fastDelimiter = options.trim ? -1 : walker.fastDelimiter;
  const builders = names.map((name) => new ColumnBuilder(bytes, options.decode, options.trim, options.types.get(name) ?? 'auto', firstCapacity, wide, fastDelimiter));
  const walked = walkRows(walker, builders, width, Number.POSITIVE_INFINITY, firstCapacity, capacity, options.checkpoint);
  const rows = walked.rows;
  const unterminatedQuote = walker.unterminated;
  // Columns that must read some first rows again as text: one more walk over the longest such prefix.
  let prefix = 0;
  for (const builder of builders) prefix = Math.max(prefix, builder.settle(rows, options.dateOrder));
  if (prefix > 0) {
    options.checkpoint?.();
    for (const builder of builders) builder.startPrefix();
    walker.pos = dataStart;
    walkRows(walker, builders, width, prefix, walked.capacity, walked.capacity, options.checkpoint);
    for (const builder of builders) builder.endPrefix();
  }
  const summarise = options.summaryTopCount === undefined ? null : { topCount: options.summaryTopCount, codes: options.distinctBytesDistinctText };
  const finished: (ReturnType<ColumnBuilder['finish']> | undefined)[] = new Array(builders.length);
  const finishAt = (c: number): ReturnType<ColumnBuilder['finish']> => {
    const done = finished[c];
    if (done !== undefined) return done;
    options.checkpoint?.();
    return (finished[c] = builders[c]!.finish(rows, options.dateOrder, summarise));
  };
  let bytesDone = false;
  const table = (): TypedColumns => {
    const built = builders.map((_, c) => finishAt(c));
    return { names, columns: built.map((f) => f.built), summaries: built.map((f) => f.summary), rowCount: rows, width, longRows: walked.longRows, firstLongRow: walked.firstLongRow, shortRows: walked.shortRows, unterminatedQuote, renamedHeaders: renamed };
  };
  const doneWithBytes = (): void => {
    if (bytesDone) return;
    bytesDone = true;
    builders.forEach((builder, c) => {
      if (builder.readsBytesToFinish()) finishAt(c);
      else builder.decodeDictionary();
    });
  };
  return {
    doneWithBytes,
    finish: () => {
      doneWithBytes();
      return table();
    },
    finishFreeing: async (free) => {
      doneWithBytes();
      for (let c = 0; c < builders.length; c++) {
        const done = finishAt(c);
        if (done.spent.length > 0) await free(done.spent.splice(0));
      }
      return table();
    },
  };
}

/** Rows the columns have room for before the walk gives them the capacity estimated from the file's size. */
export const firstRows = 16_384;

/**
 * Walks data rows from `walker.pos`, handing each field to its column's builder; stops after
 * `rowLimit` rows. The builders have room for `startCapacity` rows; the first growth gives them
 * `estimate` (when larger), later ones half as much again.
 */
function walkRows(walker: FieldWalker, builders: ColumnBuilder[], width: number, rowLimit: number, startCapacity: number, estimate: number, checkpoint: (() => void) | undefined): { rows: number; longRows: number; firstLongRow: number; shortRows: number; capacity: number } {
  const n = walker.bytes.length;
  let capacity = startCapacity;
  let rows = 0;
  let longRows = 0;
  let firstLongRow = 0;
  let shortRows = 0;
  while (walker.pos < n && width > 0 && rows < rowLimit) {
    if (rows === capacity) {
      capacity = capacity < estimate ? estimate : Math.ceil(capacity * 1.5);
      for (const builder of builders) builder.grow(capacity);
    }
    let k = 0;
    let blank = false;
    do {
      const builder = k < width ? builders[k]! : null;
      // A column's own reading of a plain field, in the same loop that finds the field's end (see ColumnBuilder.fast).
      const fast = builder !== null ? builder.fast : NO_FAST;
      if (fast === FAST_NUMBER && walker.number()) builder!.numberValue(rows, walker.value);
      else if (fast === FAST_TEXT_AGAIN && walker.sameAs(builder!.scannedStart, builder!.scannedEnd)) builder!.repeatedText(rows);
      else if ((fast === FAST_TEXT || fast === FAST_TEXT_AGAIN) && walker.hashed()) builder!.hashedText(rows, walker.start, walker.end, walker.hash, walker.high);
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
  return { rows, longRows, firstLongRow, shortRows, capacity };
}
