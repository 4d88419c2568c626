/**
 * Line formats read from their bytes: NDJSON (one JSON object a line) and basket files (one
 * basket a line). The bytes are decoded a piece at a time in streaming mode (a character split
 * between pieces is read whole), so no whole-file string is made: the real limit is memory, and
 * only a single line must fit in a JavaScript string. The encoding is decided exactly as
 * `decodeBytes` would decide it, and the notes say the same (a guessed encoding, replacements).
 */
import { assertNever } from '../engine/errors.ts';
import { uniqueNames, type Delimiter, type DelimiterChoice } from './csv.ts';
import { byteText, countReplacements, decodeChunkBytes, decodesFatally, type EncodingChoice, type TextEncodingName } from './encoding.ts';
import { BasketLineReader, guessDelimiter } from './baskets.ts';
import { DataError, errorTemplate, type DataNote } from './issues.ts';

/** Messages of the line readers (readMessages in read.ts lists them, so a load node declares them). */
export const lineMessages = {
  tooDeep: errorTemplate('The JSON in {name} nests deeper than {limit} levels (line {line}); a table cell cannot hold that. Flatten the export or load a simpler one.'),
  badNdjsonLine: errorTemplate('Line {line} of {name} is not a JSON object: {reason}'),
  lineTooLong: errorTemplate('Line {line} of {name} is longer than {limit} characters; one line must fit in a JavaScript string. Check that the file has one record a line.'),
} as const;

/** The most characters one line may have: V8 strings hold at most 2^29 - 24. */
export const maxLineChars = 2 ** 29 - 24;

/** How deep JSON may nest: records in an array are 2 levels, so 64 leaves cells 62 levels of their own. */
export const maxJsonDepth = 64;

/** Options of the line readers (tests lower them to cross piece and line limits with small inputs). */
export interface LineOptions {
  /** Bytes decoded per piece. */
  pieceBytes?: number;
  /** The most characters one line may have. */
  maxLineChars?: number;
  /** Called every 65,536 lines; may throw to cancel. */
  checkpoint?: () => void;
}

/** Columns read from a line format, before typing, with how the bytes were decoded. */
export interface LineColumns {
  /** Column names (unique). */
  names: string[];
  /** Values per column, row-aligned. */
  columns: ArrayLike<unknown>[];
  /** Names that uniqueNames had to change. */
  renamed: number;
  /** The encoding used. */
  encoding: TextEncodingName;
  /** The delimiter (baskets only). */
  delimiter: Delimiter | null;
  /** Encoding notes (a guess, replaced characters), as the one-string path gives them. */
  notes: DataNote[];
}

/** How the bytes are decoded: what `decodeBytes` would choose, without decoding them whole. */
interface Decoding {
  encoding: TextEncodingName;
  offset: number;
  guessed: boolean;
  /** Whether U+FFFD characters count as replacements (a chosen UTF-8 or GB18030, as decodeBytes counts them). */
  countReplaced: boolean;
}

/** The decoding `decodeBytes(bytes, choice)` would use (see encoding.ts), found piece by piece. */
function chooseDecoding(bytes: Uint8Array, choice: EncodingChoice, pieceBytes: number): Decoding {
  const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if ((choice === 'auto' || choice === 'utf-8') && utf8Bom) return { encoding: 'utf-8', offset: 3, guessed: false, countReplaced: false };
  switch (choice) {
    case 'utf-8':
      return { encoding: 'utf-8', offset: 0, guessed: false, countReplaced: true };
    case 'gb18030':
      return { encoding: 'gb18030', offset: 0, guessed: false, countReplaced: true };
    case 'windows-1252':
      return { encoding: 'windows-1252', offset: 0, guessed: false, countReplaced: false };
    case 'auto':
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', offset: 2, guessed: false, countReplaced: false };
      if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', offset: 2, guessed: false, countReplaced: false };
      if (byteText(bytes, 'auto') !== null) return { encoding: 'utf-8', offset: 0, guessed: false, countReplaced: false };
      // Not UTF-8: GB18030 rejects most single high bytes that Latin text has, so try it first.
      if (decodesFatally(bytes, 'gb18030', pieceBytes)) return { encoding: 'gb18030', offset: 0, guessed: true, countReplaced: false };
      return { encoding: 'windows-1252', offset: 0, guessed: true, countReplaced: false };
    default:
      return assertNever(choice);
  }
}

/** The text of the bytes a piece at a time, and the notes the decoding is worth. */
function decodedPieces(name: string, bytes: Uint8Array, choice: EncodingChoice, pieceBytes: number): { encoding: TextEncodingName; pieces: Iterable<string>; notes: () => DataNote[] } {
  const decoding = chooseDecoding(bytes, choice, pieceBytes);
  let replaced = 0;
  function* pieces(): Generator<string> {
    const decoder = new TextDecoder(decoding.encoding, { ignoreBOM: true });
    for (let at = decoding.offset; at < bytes.length; at += pieceBytes) {
      const piece = decoder.decode(bytes.subarray(at, Math.min(bytes.length, at + pieceBytes)), { stream: true });
      if (decoding.countReplaced) replaced += countReplacements(piece);
      yield piece;
    }
    const last = decoder.decode();
    if (decoding.countReplaced) replaced += countReplacements(last);
    if (last !== '') yield last;
  }
  const notes = (): DataNote[] => [
    ...(decoding.guessed ? [{ code: 'guessedEncoding', values: { name, encoding: decoding.encoding } }] : []),
    ...(replaced > 0 ? [{ code: 'replacedBytes', values: { name, count: replaced, encoding: decoding.encoding } }] : []),
  ];
  return { encoding: decoding.encoding, pieces: pieces(), notes };
}

/**
 * Calls `onLine` with every line of the text given in pieces (without its "\n" or "\r\n") and
 * its 1-based number. A line split between pieces is joined once, when its end is seen; a line
 * longer than `maxChars` is refused before it is joined.
 */
export function eachLine(name: string, pieces: Iterable<string>, onLine: (line: string, number: number) => void, options: LineOptions = {}): void {
  const limit = options.maxLineChars ?? maxLineChars;
  let parts: string[] = [];
  let partChars = 0;
  let number = 1;
  const emit = (line: string): void => {
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line, number);
    if ((number & 0xffff) === 0) options.checkpoint?.();
    number++;
  };
  const tooLong = (): DataError => new DataError(lineMessages, 'lineTooLong', { name, line: number, limit });
  for (const piece of pieces) {
    let start = 0;
    for (let end = piece.indexOf('\n'); end >= 0; end = piece.indexOf('\n', start)) {
      if (partChars + (end - start) > limit) throw tooLong();
      emit(parts.length === 0 ? piece.slice(start, end) : parts.join('') + piece.slice(start, end));
      parts = [];
      partChars = 0;
      start = end + 1;
    }
    if (start < piece.length) {
      partChars += piece.length - start;
      if (partChars > limit) throw tooLong();
      parts.push(start === 0 ? piece : piece.slice(start));
    }
  }
  if (parts.length > 0) emit(parts.join(''));
}

/**
 * Refuses JSON text nesting deeper than `maxJsonDepth` before it is parsed: one pass over the
 * text (strings skipped), so a hostile file can exhaust neither the parser nor, later, the
 * recursive walks that turn nested cells into text.
 */
export function checkJsonDepth(name: string, text: string, firstLine = 1): void {
  let depth = 0;
  let line = firstLine;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > maxJsonDepth) throw new DataError(lineMessages, 'tooDeep', { name, limit: maxJsonDepth, line });
    } else if (c === 93 || c === 125) depth--;
  }
}

/** The JSON type of a value, for messages: object, array, number, string, boolean or null. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Whether a parsed JSON value is an object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Columns grown a record at a time: keys in first-seen order, absent keys missing (null). */
class RecordColumns {
  private readonly index = new Map<string, number>();
  private readonly columns: unknown[][] = [];
  private rows = 0;

  add(record: Record<string, unknown>): void {
    const row = this.rows++;
    for (const key of Object.keys(record)) {
      let c = this.index.get(key);
      if (c === undefined) {
        c = this.columns.length;
        this.index.set(key, c);
        this.columns.push([]);
      }
      const column = this.columns[c]!;
      while (column.length < row) column.push(null);
      column.push(record[key]);
    }
  }

  done(): { names: string[]; columns: unknown[][]; renamed: number } {
    for (const column of this.columns) while (column.length < this.rows) column.push(null);
    const { names, renamed } = uniqueNames([...this.index.keys()]);
    return { names, columns: this.columns, renamed };
  }
}

/** Reads NDJSON text given in pieces: each non-blank line must be one JSON object (the line is named when not). */
export function ndjsonColumns(name: string, pieces: Iterable<string>, options: LineOptions = {}): { names: string[]; columns: unknown[][]; renamed: number; blank: boolean } {
  const records = new RecordColumns();
  let blank = true;
  eachLine(
    name,
    pieces,
    (line, number) => {
      if (line.trim() === '') return;
      blank = false;
      checkJsonDepth(name, line, number);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        throw new DataError(lineMessages, 'badNdjsonLine', { name, line: number, reason: err instanceof Error ? err.message : String(err) });
      }
      if (!isRecord(parsed)) throw new DataError(lineMessages, 'badNdjsonLine', { name, line: number, reason: `it is JSON of type ${jsonType(parsed)}` });
      records.add(parsed);
    },
    options,
  );
  return { ...records.done(), blank };
}

/** Reads NDJSON from its bytes (see the file header); null when the text is blank. */
export function readNdjsonBytes(name: string, bytes: Uint8Array, encoding: EncodingChoice, options: LineOptions = {}): LineColumns | null {
  const text = decodedPieces(name, bytes, encoding, options.pieceBytes ?? decodeChunkBytes);
  const read = ndjsonColumns(name, text.pieces, options);
  if (read.blank) return null;
  return { names: read.names, columns: read.columns, renamed: read.renamed, encoding: text.encoding, delimiter: null, notes: text.notes() };
}

/** Reads a basket file (one basket a line, see baskets.ts) from its bytes; null when the text is blank. */
export function readBasketBytes(name: string, bytes: Uint8Array, encoding: EncodingChoice, delimiterChoice: DelimiterChoice, options: LineOptions = {}): LineColumns | null {
  const text = decodedPieces(name, bytes, encoding, options.pieceBytes ?? decodeChunkBytes);
  // The delimiter is guessed from the first 64 KiB of text, as from the whole string.
  const head: string[] = [];
  let headChars = 0;
  const iterator = text.pieces[Symbol.iterator]();
  let next = iterator.next();
  while (!next.done && headChars < 65_536) {
    head.push(next.value);
    headChars += next.value.length;
    next = iterator.next();
  }
  const first = head.join('');
  const delimiter = delimiterChoice === 'auto' ? guessDelimiter(first) : delimiterChoice;
  const reader = new BasketLineReader(delimiter, options.checkpoint);
  let blank = first.trim() === '';
  reader.feed(first);
  for (; !next.done; next = iterator.next()) {
    if (blank && next.value.trim() !== '') blank = false;
    reader.feed(next.value);
  }
  if (blank) return null;
  const rows = reader.done();
  return { names: rows.names, columns: rows.columns, renamed: 0, encoding: text.encoding, delimiter, notes: text.notes() };
}
