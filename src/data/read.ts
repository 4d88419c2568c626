/**
 * Reading a file into a typed table: format detection, text decoding, the CSV/TSV, JSON,
 * NDJSON, Parquet (hyparquet) and Arrow (Arquero/flechette) readers, and per-column types
 * (inferred from every cell, or chosen). Everything a person should know — a guessed encoding,
 * ragged rows, cells read as missing, ambiguous dates — comes back as notes.
 */
import { fromArrow, type ColumnTable } from 'arquero';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { fieldEnd, tokenizeDelimited, sniffDelimiter, uniqueNames, type Delimiter, type DelimiterChoice, type DelimitedText } from './csv.ts';
import { walkTypedColumns } from './typed-csv.ts';
import { excelSeparator } from './excel-separator.ts';
import { byteText, decodeBytes, headText, isBlankText, type ByteText, type EncodingChoice, type TextEncodingName } from './encoding.ts';
import { codeAt, type CodeUnits } from './code-units.ts';
import { assertNever, buildColumn, buildFromValues, type BuiltColumn, type ColumnType, type DateOrderChoice, type TextCells, type TypeChoice } from './infer.ts';
import { makeTable, columnValues } from './columns.ts';
import { readBasketLines } from './baskets.ts';
import { checkJsonDepth, lineMessages, ndjsonColumns, readBasketBytes, readNdjsonBytes, type LineColumns } from './line-readers.ts';
import { maxTextBytes } from './text-limit.ts';
import { DataError, errorTemplate, warningTemplate, type DataNote } from './issues.ts';
import type { KnownSummary } from './stats.ts';

/** File formats a person can choose ('baskets': one basket a line, read as basket/item rows; never auto-detected). */
export const formatChoices = ['auto', 'csv', 'tsv', 'json', 'ndjson', 'parquet', 'arrow', 'baskets'] as const;

/** One of the format choices. */
export type FormatChoice = (typeof formatChoices)[number];

/** A concrete file format. */
export type FileFormat = Exclude<FormatChoice, 'auto'>;

/** Messages of the readers (a load node declares them all). */
export const readMessages = {
  emptyFile: errorTemplate('The file {name} is empty.'),
  tooLarge: errorTemplate('The file {name} is {megabytes} MB, over the {limit} MB cap in parameter "maxMegabytes"; raise the cap or load a smaller extract.'),
  tooManyColumns: errorTemplate('The file {name} has {count} columns; the studio reads at most {limit} (a wider table needs more memory than a tab has). Check the delimiter, or keep fewer columns.'),
  textTooLarge: errorTemplate('The file {name} is {megabytes} MB of text; text over {limit} MB cannot be read in one piece (the JavaScript string limit). Split it, or save it as NDJSON (one record a line), UTF-8 CSV or Parquet, which are read in pieces.'),
  notText: errorTemplate('The file {name} is not a text table: {reason}. Load CSV, TSV, JSON, NDJSON, Parquet or Arrow.'),
  badJson: errorTemplate('The file {name} is not valid JSON: {reason}'),
  notRecords: errorTemplate('The JSON in {name} must be an array of records (objects); found JSON of type {found}.'),
  tooDeep: lineMessages.tooDeep,
  badNdjsonLine: lineMessages.badNdjsonLine,
  lineTooLong: lineMessages.lineTooLong,
  badParquet: errorTemplate('The file {name} could not be read as Parquet: {reason}'),
  badArrow: errorTemplate('The file {name} could not be read as Arrow IPC: {reason}'),
  guessedEncoding: warningTemplate('The file {name} is not valid UTF-8; it was read as {encoding}. Choose the encoding in parameter "encoding" if the text looks wrong.'),
  replacedBytes: warningTemplate('{count} characters of {name} could not be decoded as {encoding} and were replaced by "\uFFFD".'),
  longRows: warningTemplate('{count} rows of {name} have more fields than the header ({width}); the extra values were dropped (first at data row {row}).'),
  shortRows: warningTemplate('{count} rows of {name} have fewer fields than the header ({width}); their remaining cells are missing.'),
  unterminatedQuote: warningTemplate('The file {name} ends inside a quoted field; its last field runs to the end of the file.'),
  renamedHeaders: warningTemplate('{count} column names in {name} were blank, repeated or the reserved name "__proto__" and were renamed (e.g. name_2).'),
  markersAsMissing: warningTemplate('Column {column}: {count} cells such as {example} were read as missing.'),
  nonFinite: warningTemplate('Column {column}: {count} cells such as {example} are not finite numbers (too large for a double, or infinity) and were read as missing.'),
  unreadable: warningTemplate('Column {column}: {count} cells such as {example} could not be read as {type} and are missing.'),
  ambiguousDates: warningTemplate('Column {column}: every date fits both day/month and month/day; it was read as day/month. Set parameter "dateOrder" if that is wrong.'),
  conflictingDates: warningTemplate('Column {column} has dates that can only be day/month and others that can only be month/day; it was kept as text.'),
  typeForMissingColumn: warningTemplate('Parameter "types" names column {column}, which the file does not have.'),
} as const;

/** Options of `readTable`. */
export interface ReadOptions {
  /** File format, or 'auto' to detect it. */
  format: FormatChoice;
  /** Delimiter for delimited text, or 'auto' to sniff it. */
  delimiter: DelimiterChoice;
  /** Text encoding, or 'auto' to detect it. */
  encoding: EncodingChoice;
  /** Whether delimited text has a header row. */
  header: boolean;
  /** Whether spaces and tabs around each field of delimited text are dropped (a fixed-width log converted to CSV pads them, inside quotes or not). */
  trim?: boolean;
  /** Type per column ('auto' or absent = infer). */
  types: Readonly<Record<string, TypeChoice>>;
  /** Order of `A/B/YYYY` dates. */
  dateOrder: DateOrderChoice;
  /** Refuse files larger than this many bytes. */
  maxBytes: number;
  /** Called between columns and every 65,536 rows; may throw to cancel. */
  checkpoint?: () => void;
  /** Read delimited UTF-8 and Windows-1252 text from its bytes (default true); false decodes it to one string first — the reference path the tests compare with. */
  fromBytes?: boolean;
  /** Also summarise columns for `columnStats` with this many top values where reading makes it cheap (the result's `summaries`). */
  statsTopCount?: number;
}

/** What `readTable` returns. */
export interface ReadResult {
  /** The typed table. */
  table: ColumnTable;
  /** Type of every column. */
  types: Record<string, ColumnType>;
  /** The format read. */
  format: FileFormat;
  /** The text encoding used (null for binary formats). */
  encoding: TextEncodingName | null;
  /** The delimiter used (null for other formats). */
  delimiter: Delimiter | null;
  /** Findings worth a warning. */
  notes: DataNote[];
  /** Summaries for `columnStats` by column, computed while reading (only with `statsTopCount`, only for some columns). */
  summaries: Map<string, KnownSummary>;
}

/** A file as readers take it. */
export interface FileInput {
  /** File name (extension helps detect the format). */
  name: string;
  /** Raw bytes. */
  bytes: Uint8Array;
  /** Frees the bytes (when they are this read's own): `readTable` calls it once it reads them no more, for the text formats, whose tables share no memory with them. */
  release?: () => Promise<void>;
  /** Frees array buffers the reader made and reads no more (the typed walk's makings of each column) now; absent: they are left to the collector. */
  freeBuffers?: (buffers: ArrayBuffer[]) => Promise<void>;
}

/** The most bytes a text file read as one string may have (see text-limit.ts). */
export { maxTextBytes } from './text-limit.ts';

/** The most columns a delimited file may have (see `tooManyColumns`). */
export const maxColumns = 1_000_000;

/** Why bytes are not a text table (an archive, an image, binary data), or null when they may be text. */
export function binaryReason(bytes: Uint8Array): string | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'it is a gzip archive; unpack it first';
  if (b(0) === 0x50 && b(1) === 0x4b && (b(2) === 3 || b(2) === 5 || b(2) === 7)) return 'it is a ZIP archive (an Excel .xlsx workbook is one); export the sheet as CSV';
  if (startsWithAscii(bytes, '%PDF-')) return 'it is a PDF document';
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'it is a PNG image';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'it is a JPEG image';
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) return 'it is UTF-16 text; save it as UTF-8';
  if (startsWithAscii(bytes, 'PAR1')) return 'it starts like Parquet but is not valid Parquet';
  if (startsWithAscii(bytes, 'ARROW1')) return 'it starts like Arrow but is not valid Arrow IPC';
  // Text tables hold no NUL and hardly any other control bytes; a sample of 64 KiB decides.
  const end = Math.min(bytes.length, 65_536);
  let control = 0;
  for (let i = 0; i < end; i++) {
    const c = bytes[i] ?? 0;
    if (c === 0) return `it holds binary data (a NUL byte at offset ${i})`;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  }
  if (control > 8 && control > end / 100) return `it holds binary data (${control} control bytes in its first ${end.toLocaleString('en')})`;
  return null;
}

const defaults: ReadOptions = { format: 'auto', delimiter: 'auto', encoding: 'auto', header: true, types: {}, dateOrder: 'auto', maxBytes: 200 * 1024 * 1024 };

function startsWithAscii(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The format a file's magic bytes or name say, or null when only its text can tell. */
export function formatFromBytesAndName(file: FileInput): FileFormat | null {
  const { bytes } = file;
  if (startsWithAscii(bytes, 'PAR1')) return 'parquet';
  if (startsWithAscii(bytes, 'ARROW1') || (bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff)) return 'arrow';
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
  switch (ext) {
    case 'parquet':
      return 'parquet';
    case 'arrow':
    case 'feather':
    case 'ipc':
      return 'arrow';
    case 'json':
      return 'json';
    case 'ndjson':
    case 'jsonl':
      return 'ndjson';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'csv':
      return 'csv';
    default:
      return null;
  }
}

/** The format of decoded text: JSON array, NDJSON (one object a line) or delimited text. */
export function formatFromText(text: string): FileFormat {
  const first = /\S/.exec(text.slice(0, 4096));
  if (first?.[0] === '[') return 'json';
  if (first?.[0] === '{') {
    // One object spread over lines is JSON (and will be refused as not records); an object a line is NDJSON.
    const lineEnd = text.indexOf('\n', first.index);
    const firstLine = text.slice(first.index, lineEnd < 0 ? text.length : lineEnd).trim();
    try {
      JSON.parse(firstLine);
      return 'ndjson';
    } catch {
      return 'json';
    }
  }
  return 'csv';
}

/** Formats whose tables share no memory with the file's bytes; Parquet and Arrow columns may be views of them. */
const textFormats: ReadonlySet<FileFormat> = new Set(['csv', 'tsv', 'json', 'ndjson', 'baskets']);

/** Reads a file into a typed table (see the file header); frees its bytes through `file.release` once they are not needed (a text format's table read, or a failure). */
export async function readTable(file: FileInput, options: Partial<ReadOptions> = {}): Promise<ReadResult> {
  let result: ReadResult;
  try {
    result = await readFile(file, options);
  } catch (err) {
    await file.release?.();
    throw err;
  }
  if (textFormats.has(result.format)) await file.release?.();
  return result;
}

async function readFile(file: FileInput, options: Partial<ReadOptions>): Promise<ReadResult> {
  const opts: ReadOptions = { ...defaults, ...options };
  const typeChoices = ownTypeChoices(opts.types);
  const { name, bytes } = file;
  if (bytes.length > opts.maxBytes) {
    throw new DataError(readMessages, 'tooLarge', { name, megabytes: round1(bytes.length / 1048576), limit: round1(opts.maxBytes / 1048576) }, 'maxMegabytes');
  }
  if (bytes.length === 0) throw new DataError(readMessages, 'emptyFile', { name });
  const notes: DataNote[] = [];
  let format: FileFormat | null = opts.format === 'auto' ? formatFromBytesAndName(file) : opts.format;
  // Only the first bytes said Parquet or Arrow (not the name, not the person): a failure means the file is no table at all.
  const named = formatFromBytesAndName({ name, bytes: new Uint8Array(0) });
  const byMagicOnly = opts.format === 'auto' && named !== 'parquet' && named !== 'arrow';
  if (format === 'parquet') return finish(typeChoices, await magicOrNotText(name, byMagicOnly, 'Parquet', () => readParquet(file)), opts, 'parquet', null, null, notes, name);
  if (format === 'arrow') return finish(typeChoices, await magicOrNotText(name, byMagicOnly, 'Arrow IPC', async () => readArrow(file)), opts, 'arrow', null, null, notes, name);
  // JSON is parsed from one decoded string; refuse it on its size before looking at a byte.
  if (format === 'json' && bytes.length > maxTextBytes) throw textTooLarge(name, bytes.length);
  const notText = binaryReason(bytes);
  if (notText !== null) throw new DataError(readMessages, 'notText', { name, reason: notText });
  // Line formats are read a line at a time from their bytes (line-readers.ts): no string limit.
  if (format === 'ndjson' || format === 'baskets') return lineTable(file, format, typeChoices, opts, notes);

  // Delimited UTF-8 or Windows-1252 text is read from its bytes: no whole-file string, so no string-length limit.
  const asBytes = opts.fromBytes !== false && (format === null || format === 'csv' || format === 'tsv') ? byteText(bytes, opts.encoding) : null;
  if (asBytes !== null) {
    if (isBlankText(bytes, asBytes)) throw new DataError(readMessages, 'emptyFile', { name });
    // The head decides as the whole text would: formatFromText reads 4,096 characters, sniffDelimiter 2^20.
    const head = headText(bytes, asBytes, (1 << 20) + 1);
    const delimited = format ?? formatFromText(head);
    if (delimited === 'csv' || delimited === 'tsv') return readDelimitedBytes(file, asBytes, head, delimited, typeChoices, opts, notes);
    if (delimited === 'ndjson') return lineTable(file, delimited, typeChoices, opts, notes);
  }

  if (bytes.length > maxTextBytes) throw textTooLarge(name, bytes.length);

  const decoded = decodeBytes(bytes, opts.encoding);
  if (decoded.guessed) notes.push({ code: 'guessedEncoding', values: { name, encoding: decoded.encoding } });
  if (decoded.replaced > 0) notes.push({ code: 'replacedBytes', values: { name, count: decoded.replaced, encoding: decoded.encoding } });
  const text = decoded.text;
  if (text.trim() === '') throw new DataError(readMessages, 'emptyFile', { name });
  format ??= formatFromText(text);
  switch (format) {
    case 'json':
      return finish(typeChoices, readJson(name, text), opts, format, decoded.encoding, null, notes, name);
    case 'ndjson':
      return finish(typeChoices, ndjsonColumns(name, [text], opts.checkpoint ? { checkpoint: opts.checkpoint } : {}), opts, format, decoded.encoding, null, notes, name);
    case 'csv':
    case 'tsv': {
      // Excel's `sep=;` first line names the delimiter and is no header.
      const excel = excelSeparator(text);
      const body = excel === null ? text : text.slice(excel.start);
      const delimiter: Delimiter = opts.delimiter !== 'auto' ? opts.delimiter : (excel?.delimiter ?? (format === 'tsv' ? '\t' : sniffDelimiter(body)));
      const grid = tokenizeDelimited(body, { delimiter, header: opts.header, ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}) });
      // A grid of a string holds no bytes; the decoder is there for the type only.
      return gridTable(name, grid, (part) => new TextDecoder().decode(part), typeChoices, opts, format, decoded.encoding, notes);
    }
    case 'baskets': {
      const rows = readBasketLines(text, opts.delimiter, opts.checkpoint);
      return finish(typeChoices, { names: rows.names, columns: rows.columns }, opts, format, decoded.encoding, rows.delimiter, notes, name);
    }
    case 'parquet':
    case 'arrow':
      // Binary formats were handled before decoding; reaching here means the choice was forced on text.
      return format === 'parquet' ? finish(typeChoices, await readParquet(file), opts, format, null, null, notes, name) : finish(typeChoices, readArrow(file), opts, format, null, null, notes, name);
    default:
      return assertNever(format);
  }
}

/** NDJSON or baskets read a line at a time from the bytes (line-readers.ts). */
function lineTable(file: FileInput, format: 'ndjson' | 'baskets', typeChoices: ReadonlyMap<string, TypeChoice>, opts: ReadOptions, notes: DataNote[]): ReadResult {
  const options = opts.checkpoint ? { checkpoint: opts.checkpoint } : {};
  const read: LineColumns | null = format === 'ndjson' ? readNdjsonBytes(file.name, file.bytes, opts.encoding, options) : readBasketBytes(file.name, file.bytes, opts.encoding, opts.delimiter, options);
  if (read === null) throw new DataError(readMessages, 'emptyFile', { name: file.name });
  return finish(typeChoices, read, opts, format, read.encoding, read.delimiter, [...notes, ...read.notes], file.name);
}

/** Delimited text read from its bytes (see readTable): the same types, values and notes as from the decoded text, typed as it is tokenized (typed-csv.ts). */
async function readDelimitedBytes(file: FileInput, read: ByteText, head: string, format: 'csv' | 'tsv', typeChoices: ReadonlyMap<string, TypeChoice>, opts: ReadOptions, notes: DataNote[]): Promise<ReadResult> {
  const { name, bytes } = file;
  if (read.replaced > 0) notes.push({ code: 'replacedBytes', values: { name, count: read.replaced, encoding: read.encoding } });
  // Excel's `sep=;` first line names the delimiter and is no header (its bytes are ASCII, one a character).
  const excel = excelSeparator(head);
  const body = excel === null ? head : head.slice(excel.start);
  const delimiter: Delimiter = opts.delimiter !== 'auto' ? opts.delimiter : (excel?.delimiter ?? (format === 'tsv' ? '\t' : sniffDelimiter(body)));
  const walked = walkTypedColumns(bytes, {
    delimiter,
    header: opts.header,
    offset: read.offset + (excel?.start ?? 0),
    decode: read.decode,
    trim: opts.trim === true,
    types: typeChoices,
    dateOrder: opts.dateOrder,
    maxColumns,
    ...(opts.statsTopCount !== undefined ? { summaryTopCount: opts.statsTopCount } : {}),
    distinctBytesDistinctText: read.replaced === 0,
    ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}),
  });
  // The file's bytes go before the columns' arrays are made: the load then never holds both whole.
  walked.doneWithBytes();
  await file.release?.();
  const typed = file.freeBuffers ? await walked.finishFreeing(file.freeBuffers) : walked.finish();
  shapeNotes(name, typed, notes);
  const columns = typed.names.map((column, c) => ({ name: column, built: typed.columns[c]! }));
  const result = assemble(columns, typeChoices, format, read.encoding, delimiter, notes);
  typed.names.forEach((column, c) => {
    const summary = typed.summaries[c];
    if (summary) result.summaries.set(column, summary);
  });
  return result;
}

/** What tokenizing found, as notes; refuses more than `maxColumns` columns. */
function shapeNotes(name: string, grid: Pick<DelimitedText<CodeUnits>, 'names' | 'width' | 'longRows' | 'firstLongRow' | 'shortRows' | 'unterminatedQuote' | 'renamedHeaders'>, notes: DataNote[]): void {
  // Measured: 1,000,000 header-only columns take 21 s of CPU and 1.8 GB; ten times that would exhaust the heap.
  if (grid.names.length > maxColumns) throw new DataError(readMessages, 'tooManyColumns', { name, count: grid.names.length, limit: maxColumns }, 'delimiter');
  if (grid.longRows > 0) notes.push({ code: 'longRows', values: { name, count: grid.longRows, width: grid.width, row: grid.firstLongRow } });
  if (grid.shortRows > 0) notes.push({ code: 'shortRows', values: { name, count: grid.shortRows, width: grid.width } });
  if (grid.unterminatedQuote) notes.push({ code: 'unterminatedQuote', values: { name } });
  if (grid.renamedHeaders > 0) notes.push({ code: 'renamedHeaders', values: { name, count: grid.renamedHeaders } });
}

/** A tokenized grid to a typed table, with the tokenizer's findings as notes. */
function gridTable<T extends CodeUnits>(name: string, grid: DelimitedText<T>, decode: (bytes: Uint8Array) => string, typeChoices: ReadonlyMap<string, TypeChoice>, opts: ReadOptions, format: FileFormat, encoding: TextEncodingName, notes: DataNote[]): ReadResult {
  shapeNotes(name, grid, notes);
  const columns = grid.names.map((column, c) => {
    opts.checkpoint?.();
    return { name: column, built: buildColumn(new GridCells(grid, c, decode, opts.trim === true), typeChoices.get(column) ?? 'auto', opts.dateOrder) };
  });
  return assemble(columns, typeChoices, format, encoding, grid.delimiter, notes);
}

/** The type choices as a Map of the record's own entries (a column named "constructor" must not find Object). */
function ownTypeChoices(types: Readonly<Record<string, TypeChoice>>): Map<string, TypeChoice> {
  return new Map(Object.entries(types));
}

/** Runs a binary reader; when only magic bytes chose it, its failure is reported as "not a text table". */
async function magicOrNotText(name: string, byMagicOnly: boolean, label: string, read: () => Promise<RawColumns>): Promise<RawColumns> {
  try {
    return await read();
  } catch (err) {
    if (!byMagicOnly || !(err instanceof DataError)) throw err;
    const reason = typeof err.values.reason === 'string' ? err.values.reason.slice(0, 80) : 'unreadable';
    throw new DataError(readMessages, 'notText', { name, reason: `it starts like ${label} but is not valid ${label} (${reason})` });
  }
}

/** The refusal of text that would have to be one string longer than V8 allows. */
function textTooLarge(name: string, size: number): DataError {
  return new DataError(readMessages, 'textTooLarge', { name, megabytes: round1(size / 1048576), limit: round1(maxTextBytes / 1048576) }, 'maxMegabytes');
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Cells of one column of a delimited-text grid (of a string, or of bytes that `decode` reads). */
class GridCells implements TextCells {
  readonly length: number;
  text: CodeUnits = '';
  start = 0;
  end = 0;
  private readonly grid: DelimitedText<CodeUnits>;
  private readonly column: number;
  private readonly decodeBytes: (bytes: Uint8Array) => string;
  private readonly trim: boolean;

  constructor(grid: DelimitedText<CodeUnits>, column: number, decode: (bytes: Uint8Array) => string, trim: boolean) {
    this.grid = grid;
    this.column = column;
    this.length = grid.rowCount;
    this.decodeBytes = decode;
    this.trim = trim;
  }

  /** Moves start and end inside the spaces and tabs around the current cell. */
  private trimmed(): boolean {
    const text = this.text;
    let { start, end } = this;
    while (start < end && isBlankCode(codeAt(text, start))) start++;
    while (end > start && isBlankCode(codeAt(text, end - 1))) end--;
    this.start = start;
    this.end = end;
    return end > start;
  }

  decode(start: number, end: number): string {
    const text = this.text;
    return typeof text === 'string' ? text.slice(start, end) : this.decodeBytes(text.subarray(start, end));
  }

  seek(i: number): boolean {
    const k = i * this.grid.width + this.column;
    const s = this.grid.starts[k]!;
    if (s >= 0) {
      this.text = this.grid.text;
      this.start = s;
      this.end = fieldEnd(this.grid, s);
      return this.trim ? this.trimmed() : this.end > s;
    }
    if (s === -1) return false;
    const value = this.grid.escaped[-2 - s] ?? '';
    this.text = value;
    this.start = 0;
    this.end = value.length;
    return this.trim ? this.trimmed() : value.length > 0;
  }
}

function isBlankCode(c: number): boolean {
  return c === 32 || c === 9;
}

/** Columns of JavaScript values, before typing. */
interface RawColumns {
  names: string[];
  columns: ArrayLike<unknown>[];
  /** Names that uniqueNames had to change (blank, repeated, "__proto__"). */
  renamed?: number;
}

function finish(typeChoices: ReadonlyMap<string, TypeChoice>, raw: RawColumns, opts: ReadOptions, format: FileFormat, encoding: TextEncodingName | null, delimiter: Delimiter | null, notes: DataNote[], name = ''): ReadResult {
  if ((raw.renamed ?? 0) > 0) notes.push({ code: 'renamedHeaders', values: { name, count: raw.renamed ?? 0 } });
  const columns = raw.names.map((column, c) => {
    opts.checkpoint?.();
    return { name: column, built: buildFromValues(raw.columns[c] ?? [], typeChoices.get(column) ?? 'auto', opts.dateOrder) };
  });
  return assemble(columns, typeChoices, format, encoding, delimiter, notes);
}

function assemble(columns: { name: string; built: BuiltColumn }[], typeChoices: ReadonlyMap<string, TypeChoice>, format: FileFormat, encoding: TextEncodingName | null, delimiter: Delimiter | null, notes: DataNote[]): ReadResult {
  const types: Record<string, ColumnType> = Object.create(null);
  for (const { name, built } of columns) {
    types[name] = built.type;
    if (built.markersAsMissing > 0) notes.push({ code: 'markersAsMissing', values: { column: name, count: built.markersAsMissing, example: built.markerExample } });
    if (built.nonFinite) notes.push({ code: 'nonFinite', values: { column: name, count: built.nonFinite.count, example: built.nonFinite.example } });
    if (built.unreadable > 0) notes.push({ code: 'unreadable', values: { column: name, count: built.unreadable, example: built.unreadableExample, type: built.type } });
    if (built.dateOrder?.status === 'ambiguous') notes.push({ code: 'ambiguousDates', values: { column: name } });
    if (built.dateOrder?.status === 'conflict') notes.push({ code: 'conflictingDates', values: { column: name } });
  }
  const present = new Set(columns.map((c) => c.name));
  for (const [column, choice] of typeChoices) {
    if (choice !== 'auto' && !present.has(column)) notes.push({ code: 'typeForMissingColumn', values: { column } });
  }
  const table = makeTable(
    columns.map((c) => c.name),
    columns.map((c) => c.built.values),
  );
  return { table, types, format, encoding, delimiter, notes, summaries: new Map() };
}

/** The JSON type of a value, for messages: object, array, number, string, boolean or null. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Columns from records: keys in first-seen order, absent keys missing. */
function recordsToColumns(records: readonly Record<string, unknown>[]): RawColumns {
  const index = new Map<string, number>();
  const columns: unknown[][] = [];
  records.forEach((record, row) => {
    for (const key of Object.keys(record)) {
      let c = index.get(key);
      if (c === undefined) {
        c = columns.length;
        index.set(key, c);
        columns.push(new Array<unknown>(records.length).fill(null));
      }
      columns[c]![row] = record[key];
    }
  });
  const { names, renamed } = uniqueNames([...index.keys()]);
  return { names, columns, renamed };
}

/** How deep JSON may nest (see line-readers.ts). */
export { maxJsonDepth } from './line-readers.ts';

function readJson(name: string, text: string): RawColumns {
  checkJsonDepth(name, text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DataError(readMessages, 'badJson', { name, reason: err instanceof Error ? err.message : String(err) });
  }
  if (!Array.isArray(parsed)) throw new DataError(readMessages, 'notRecords', { name, found: describe(parsed) });
  const records: Record<string, unknown>[] = [];
  for (const item of parsed) {
    if (item === null) continue;
    if (!isRecord(item)) throw new DataError(readMessages, 'notRecords', { name, found: `array of ${describe(item)}` });
    records.push(item);
  }
  return recordsToColumns(records);
}

async function readParquet(file: FileInput): Promise<RawColumns> {
  const { bytes, name } = file;
  // hyparquet reads from an ArrayBuffer; copy only when the bytes are a view into a larger one.
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
  try {
    const metadata = parquetMetadata(buffer);
    const names = parquetSchema(metadata).children.map((child) => child.element.name);
    const rows = await new Promise<unknown[][]>((resolve, reject) => {
      parquetRead({ file: buffer, metadata, rowFormat: 'array', onComplete: (result: unknown[][]) => resolve(result) }).catch(reject);
    });
    const columns = names.map((_, c) => rows.map((row) => normaliseParquetValue(row[c])));
    const unique = uniqueNames(names);
    return { names: unique.names, columns, renamed: unique.renamed };
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(readMessages, 'badParquet', { name, reason: err instanceof Error ? err.message : String(err) });
  }
}

/** BigInts that fit a double become numbers; larger ones stay bigint (typed as text later). */
function normaliseParquetValue(value: unknown): unknown {
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(-Number.MAX_SAFE_INTEGER)) return Number(value);
  return value;
}

function readArrow(file: FileInput): RawColumns {
  let arrow: ColumnTable;
  try {
    arrow = fromArrow(file.bytes);
  } catch (err) {
    throw new DataError(readMessages, 'badArrow', { name: file.name, reason: err instanceof Error ? err.message : String(err) });
  }
  const names = arrow.columnNames();
  const unique = uniqueNames(names);
  return { names: unique.names, columns: names.map((column) => columnValues(arrow, column)), renamed: unique.renamed };
}

