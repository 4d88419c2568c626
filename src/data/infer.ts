/**
 * Column types and how text cells become typed columns. The column representation the whole
 * data layer uses (see README.md):
 *   integer, number → Float64Array when nothing is missing, else an array of number | null
 *   date            → array of Date | null (UTC instants)
 *   boolean         → array of boolean | null
 *   text            → array of string | null (repeated strings share one instance)
 * A missing cell is always `null`; NaN never appears in a column this module builds.
 *
 * Inference reads every cell (not a sample): a column is integer when every non-missing cell
 * is a plain decimal whole number, number when every one is a plain decimal, boolean when
 * every one is true/false, date when every one is a date text (dates.ts), else text. In a
 * typed column, blank cells and the usual missing markers (NA, N/A, NaN, null, None, #N/A, ?)
 * are missing and counted, so the person can see it. A forced type reads what it can and
 * counts the rest as unreadable (set missing).
 */
import { assertNever } from '../engine/errors.ts';
import { addDateOrderEvidence, epochToDates, newDateOrderEvidence, newDateParts, partsToEpochMs, resolveDateOrder, scanDate, type DateOrder } from './dates.ts';
import { parseNumberAt } from './numbers.ts';
import { codeAt, type CodeUnits } from './code-units.ts';

/** The column types, in the order inference prefers them. */
export const columnTypes = ['integer', 'number', 'date', 'boolean', 'text'] as const;

/** A column type. */
export type ColumnType = (typeof columnTypes)[number];

/** A column type, or 'auto' to infer it. */
export type TypeChoice = 'auto' | ColumnType;

/** A date-order choice for `A/B/YYYY` dates. */
export type DateOrderChoice = 'auto' | DateOrder;

/** One current cell: where it lies in its backing text, and how to read a range of that text. */
export interface Cell {
  /** Backing text of the current cell: a string, or bytes of ASCII-compatible text (code-units.ts). */
  text: CodeUnits;
  /** Start of the current cell in `text`. */
  start: number;
  /** End (exclusive) of the current cell in `text`. */
  end: number;
  /** The range `[start, end)` of the current cell's `text` as a string (decoded when `text` is bytes). */
  decode(start: number, end: number): string;
}

/** A cursor over the text cells of one column. */
export interface TextCells extends Cell {
  /** Number of cells. */
  readonly length: number;
  /** Moves to cell i; false when the cell is absent or empty (missing). */
  seek(i: number): boolean;
}

/** Cells of a plain array of strings (null / undefined / '' are missing). */
export class StringCells implements TextCells {
  /** Number of cells. */
  readonly length: number;
  /** Backing text of the current cell. */
  text = '';
  /** Start of the current cell. */
  start = 0;
  /** End of the current cell. */
  end = 0;
  private readonly values: ArrayLike<string | null | undefined>;

  constructor(values: ArrayLike<string | null | undefined>) {
    this.values = values;
    this.length = values.length;
  }

  /** Moves to cell i. */
  seek(i: number): boolean {
    const value = this.values[i];
    if (value === null || value === undefined || value === '') return false;
    this.text = value;
    this.start = 0;
    this.end = value.length;
    return true;
  }

  /** A range of the current cell. */
  decode(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/** A typed column and what building it found. */
export interface BuiltColumn {
  /** The type (inferred or forced). */
  type: ColumnType;
  /** The values (see the representation in the file header). */
  values: Float64Array | (number | null)[] | (Date | null)[] | (boolean | null)[] | (string | null)[];
  /** Missing cells in the result. */
  missing: number;
  /** Non-empty cells read as missing because they were blank or a missing marker. */
  markersAsMissing: number;
  /** One such cell, as written. */
  markerExample: string | null;
  /** Cells a forced type could not read (set missing). */
  unreadable: number;
  /** One such cell, as written. */
  unreadableExample: string | null;
  /** For `A/B/YYYY` dates: the order used and whether the data decided it. */
  dateOrder: { order: DateOrder; status: 'decided' | 'ambiguous' | 'conflict' | 'not-needed' | 'chosen' } | null;
  /** Cells of a numeric column that name no finite number (`1e309`, `Infinity`), read as missing; absent when none. */
  nonFinite?: { count: number; example: string };
}

const nonFiniteText = /^\s*[+-]?(?:inf|infinity|(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+|\d{309,}(?:\.\d*)?)\s*$/i;

/**
 * True when the cell is a number too large for a double (`1e309`) or spells infinity
 * (`Infinity`, `-inf`): a numeric column reads it as missing and says so, instead of
 * turning into text.
 */
export function isNonFiniteNumber(text: string, start: number, end: number): boolean {
  if (end - start > 400) return false;
  const cell = text.slice(start, end);
  if (!nonFiniteText.test(cell)) return false;
  const word = cell.trim().replace(/^[+-]/, '').toLowerCase();
  return word === 'inf' || word === 'infinity' || !Number.isFinite(Number(cell));
}

const markers = new Set(['NA', 'N/A', 'n/a', 'na', 'NaN', 'nan', 'NAN', 'null', 'NULL', 'Null', 'None', 'none', '#N/A', '?', '-']);

/** True when the cell is blank or a missing marker (NA, N/A, NaN, null, None, #N/A, ?, -). */
export function isMissingMarker(text: string, start: number, end: number): boolean {
  let i = start;
  let e = end;
  while (i < e && text.charCodeAt(i) <= 32) i++;
  while (e > i && text.charCodeAt(e - 1) <= 32) e--;
  if (i === e) return true;
  return e - i <= 4 && markers.has(text.slice(i, e));
}

/** Whether the current cell names no finite number (`isNonFiniteNumber`), its bytes decoded when they could. */
export function cellIsNonFinite(cells: Cell): boolean {
  const { text, start, end } = cells;
  if (typeof text === 'string') return isNonFiniteNumber(text, start, end);
  // The grammar is ASCII, so a cell of more than 400 bytes cannot be one within 400 characters.
  if (end - start > 400) return false;
  const cell = cells.decode(start, end);
  return isNonFiniteNumber(cell, 0, cell.length);
}

/** Whether the current cell is blank or a missing marker (`isMissingMarker`); bytes are trimmed as bytes and at most 4 decoded. */
export function cellIsMarker(cells: Cell): boolean {
  const { text, start, end } = cells;
  if (typeof text === 'string') return isMissingMarker(text, start, end);
  let i = start;
  let e = end;
  while (i < e && codeAt(text, i) <= 32) i++;
  while (e > i && codeAt(text, e - 1) <= 32) e--;
  if (i === e) return true;
  // Markers are ASCII: more than 4 bytes is more than 4 characters or a non-ASCII one.
  return e - i <= 4 && markers.has(cells.decode(i, e));
}

/** The current cell read by `parseBooleanAt`; bytes are trimmed as bytes and at most 5 decoded. */
export function cellBoolean(cells: Cell, loose: boolean): boolean | null {
  const { text, start, end } = cells;
  if (typeof text === 'string') return parseBooleanAt(text, start, end, loose);
  let i = start;
  let e = end;
  while (i < e && codeAt(text, i) <= 32) i++;
  while (e > i && codeAt(text, e - 1) <= 32) e--;
  // The words are ASCII: more than 5 bytes is more than 5 characters or a non-ASCII one.
  if (i === e || e - i > 5) return null;
  const word = cells.decode(i, e);
  return parseBooleanAt(word, 0, word.length, loose);
}

/** Reads true/false (any case); with `loose`, also yes/no, y/n, t/f and 1/0. Null otherwise. */
export function parseBooleanAt(text: string, start: number, end: number, loose: boolean): boolean | null {
  let i = start;
  let e = end;
  while (i < e && text.charCodeAt(i) <= 32) i++;
  while (e > i && text.charCodeAt(e - 1) <= 32) e--;
  const length = e - i;
  if (length === 0 || length > 5) return null;
  const word = text.slice(i, e).toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (!loose) return null;
  if (word === 'yes' || word === 'y' || word === 't' || word === '1') return true;
  if (word === 'no' || word === 'n' || word === 'f' || word === '0') return false;
  return null;
}

/**
 * A copy of a string that does not keep its source alive. V8 makes a substring of 13 or more
 * characters a view into the whole source text, so one cell kept from a 70 MB file would keep
 * all 70 MB; concatenating and slicing again copies the characters into a string of their own.
 */
function detach(value: string): string {
  return value.length >= 13 ? `${value}\u0000`.slice(0, -1) : value;
}

/** Shares one string instance per distinct value (up to a cap) to save memory on repeats. */
export class Interner {
  private readonly seen = new Map<string, string>();
  private readonly cap: number;
  constructor(cap = 200_000) {
    this.cap = cap;
  }
  /** The shared instance of a string. */
  intern(value: string): string {
    const known = this.seen.get(value);
    if (known !== undefined) return known;
    const own = detach(value);
    if (this.seen.size < this.cap) this.seen.set(own, own);
    return own;
  }
}

/**
 * FNV-1a's 32-bit offset basis. `ByteDictionary`'s hash is two FNV-1a hashes side by side, one
 * over the bytes at even offsets from this basis, one over the odd ones from `FNV_OFFSET_ODD`,
 * combined as `Math.imul(even ^ odd, FNV_PRIME)`: two chains of multiplications that the
 * processor runs at once (hashing was a tenth of a load).
 */
export const FNV_OFFSET = 0x811c9dc5;

/** The basis of the odd bytes' hash (see `FNV_OFFSET`). */
export const FNV_OFFSET_ODD = 0x050c5d1f;

/** FNV-1a's 32-bit prime: each byte b turns the hash h into `Math.imul(h ^ b, FNV_PRIME)`. */
export const FNV_PRIME = 0x01000193;

/**
 * Numbers the distinct byte sequences of a column (up to a cap) so that each is decoded once:
 * text columns of transactions repeat a few thousand values over millions of rows. Open
 * addressing on a hash of two FNV-1a chains, a hit confirmed against a copy of the value's bytes. ASCII values are decoded
 * together at the end — one decode of their concatenation, then a slice each — because a
 * TextDecoder call per value costs more than the rest of the read of a short cell.
 */
export class ByteDictionary {
  // Open addressing, at most half full: slot s holds a value's hash at 2s and its number + 1 at 2s + 1 (0: free), so a probe reads one cache line.
  private slots = new Int32Array(2048);
  // Value k's bytes are pool[offsets[k], offsets[k + 1]): copies of the distinct values, side by side, so that a hit is confirmed
  // in memory the walk has just used, not at the value's first occurrence far back in the file (measured: the compare was half of a lookup).
  private pool = new Uint8Array(4096);
  private offsets = new Int32Array(1025);
  // The pool and the bytes looked up last, read four bytes at a time to confirm a hit.
  private poolWords: DataView = new DataView(this.pool.buffer);
  private source: Uint8Array | null = null;
  private sourceWords: DataView = this.poolWords;
  /** Decoded values; null for ASCII values until `strings`. */
  private readonly values: (string | null)[] = [];
  private nonAscii = 0;
  private readonly cap: number;
  constructor(cap = 200_000) {
    this.cap = cap;
  }

  /** The number of the current cell's bytes (`bytes[start, end)`), or −1 past the cap. */
  id(cells: Cell, bytes: Uint8Array, start: number, end: number): number {
    let h = FNV_OFFSET;
    let g = FNV_OFFSET_ODD;
    let high = 0;
    let i = start;
    for (; i + 1 < end; i += 2) {
      const b = bytes[i]!;
      const c = bytes[i + 1]!;
      high |= b | c;
      h = Math.imul(h ^ b, FNV_PRIME);
      g = Math.imul(g ^ c, FNV_PRIME);
    }
    if (i < end) {
      const b = bytes[i]!;
      high |= b;
      h = Math.imul(h ^ b, FNV_PRIME);
    }
    return this.hashedId(cells, bytes, start, end, Math.imul(h ^ g, FNV_PRIME), high);
  }

  /** `id`, given the bytes' hash (see `FNV_OFFSET`) and the OR of all of them, found while the bytes were read. */
  hashedId(cells: Cell, bytes: Uint8Array, start: number, end: number, h: number, high: number): number {
    const length = end - start;
    if (bytes !== this.source) {
      this.source = bytes;
      this.sourceWords = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = h & mask;
    for (;;) {
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) break;
      if (slots[2 * slot] === h) {
        const k = entry - 1;
        const from = this.offsets[k]!;
        if (this.offsets[k + 1]! - from === length && this.sameBytes(from, bytes, start, length)) return k;
      }
      slot = (slot + 1) & mask;
    }
    const k = this.values.length;
    if (k >= this.cap) return -1;
    this.add(k, bytes, start, length);
    if (high < 0x80) this.values.push(null);
    else {
      this.values.push(cells.decode(start, end));
      this.nonAscii++;
    }
    slots[2 * slot] = h;
    slots[2 * slot + 1] = k + 1;
    if ((k + 1) * 2 > slots.length >> 1) this.rehash();
    return k;
  }

  /** Copies value k's bytes into the pool. */
  private add(k: number, bytes: Uint8Array, start: number, length: number): void {
    if (k + 2 > this.offsets.length) {
      const offsets = new Int32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    const at = this.offsets[k]!;
    if (at + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, at + length));
      pool.set(this.pool.subarray(0, at));
      this.pool = pool;
      this.poolWords = new DataView(pool.buffer);
    }
    this.pool.set(bytes.subarray(start, start + length), at);
    this.offsets[k + 1] = at + length;
  }

  /** Whether pool[from, from + length) holds the bytes bytes[start, start + length). */
  private sameBytes(from: number, bytes: Uint8Array, start: number, length: number): boolean {
    return sameBytesAt(this.pool, this.poolWords, from, bytes, this.sourceWords, start, length);
  }

  /** Twice the slots, the values placed again by their hashes. */
  private rehash(): void {
    const old = this.slots;
    const grown = new Int32Array(old.length * 2);
    const mask = (grown.length >> 1) - 1;
    for (let s = 0; s < old.length; s += 2) {
      const entry = old[s + 1]!;
      if (entry === 0) continue;
      let at = old[s]! & mask;
      while (grown[2 * at + 1] !== 0) at = (at + 1) & mask;
      grown[2 * at] = old[s]!;
      grown[2 * at + 1] = entry;
    }
    this.slots = grown;
  }

  /** The typed arrays it keeps (the slots, the pool of values' bytes and their offsets), which are garbage once it is. */
  arrays(): ArrayBufferView[] {
    return [this.slots, this.pool, this.offsets];
  }

  /** Every value by number. */
  strings(): string[] {
    const count = this.values.length;
    const offsets = this.offsets;
    const pool = this.pool;
    // ASCII reads the same in every encoding this is used with; each value is a slice of one string of the ASCII values side by side.
    let joined = pool.subarray(0, offsets[count]!);
    if (this.nonAscii > 0) {
      joined = new Uint8Array(offsets[count]!);
      let at = 0;
      for (let k = 0; k < count; k++) {
        if (this.values[k] !== null) continue;
        joined.set(pool.subarray(offsets[k]!, offsets[k + 1]!), at);
        at += offsets[k + 1]! - offsets[k]!;
      }
      joined = joined.subarray(0, at);
    }
    const text = asciiDecoder.decode(joined);
    let at = 0;
    return this.values.map((value, k) => {
      if (value !== null) return value;
      const length = offsets[k + 1]! - offsets[k]!;
      at += length;
      return text.slice(at - length, at);
    });
  }
}

const asciiDecoder = new TextDecoder();

/**
 * Whether a[aFrom, aFrom + length) and b[bFrom, bFrom + length) hold the same bytes, compared four
 * at a time through their DataViews (`aWords` over `a`'s buffer as `a` lies, `bWords` over `b`'s),
 * then byte by byte: the walk's repeated-field match and the dictionary's confirmation of a hit.
 */
export function sameBytesAt(a: Uint8Array, aWords: DataView, aFrom: number, b: Uint8Array, bWords: DataView, bFrom: number, length: number): boolean {
  let k = 0;
  for (; k + 4 <= length; k += 4) if (aWords.getInt32(aFrom + k, true) !== bWords.getInt32(bFrom + k, true)) return false;
  for (; k < length; k++) if (a[aFrom + k] !== b[bFrom + k]) return false;
  return true;
}

/** Numbers with NaN for missing → Float64Array when complete, else number | null. */
export function finishNumbers(values: Float64Array, missing: number): Float64Array | (number | null)[] {
  if (missing === 0) return values;
  const out: (number | null)[] = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isNaN(v) ? null : v;
  }
  return out;
}

/** Builds a typed column from text cells: inferred under 'auto', else forced (see header). */
export function buildColumn(cells: TextCells, choice: TypeChoice, dateOrder: DateOrderChoice = 'auto'): BuiltColumn {
  if (choice !== 'auto') return buildForced(cells, choice, dateOrder);
  const n = cells.length;
  const numbers = new Float64Array(n);
  let canNumber = true;
  let canInteger = true;
  let canBoolean = true;
  let canDate = true;
  let present = 0;
  let markerCount = 0;
  let markerExample: string | null = null;
  let emptyCount = 0;
  let nonFiniteCount = 0;
  let nonFiniteExample = '';
  let dateInvalid = 0;
  const parts = newDateParts();
  const evidence = newDateOrderEvidence();
  // The last cell scanned as a date (parts hold its fields): a run of the same text (an
  // invoice's timestamp on each of its lines) is not scanned again.
  let scanned: CodeUnits | null = null;
  let scannedStart = 0;
  let scannedEnd = 0;
  let scannedMs = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (!cells.seek(i)) {
      numbers[i] = Number.NaN;
      emptyCount++;
      continue;
    }
    const { text, start, end } = cells;
    if (canNumber) {
      const v = parseNumberAt(text, start, end);
      if (v === v) {
        numbers[i] = v;
        present++;
        if (canInteger && !Number.isInteger(v)) canInteger = false;
        canBoolean = false;
        canDate = false;
        continue;
      }
      if (cellIsNonFinite(cells)) {
        numbers[i] = Number.NaN;
        if (nonFiniteCount++ === 0) nonFiniteExample = cells.decode(start, end).trim();
        canBoolean = false;
        canDate = false;
        continue;
      }
    }
    if (cellIsMarker(cells)) {
      numbers[i] = Number.NaN;
      markerCount++;
      markerExample ??= cells.decode(start, end);
      continue;
    }
    present++;
    canNumber = false;
    canInteger = false;
    if (canBoolean && cellBoolean(cells, false) === null) canBoolean = false;
    if (canDate) {
      if (scanned !== null && sameText(scanned, scannedStart, scannedEnd, text, start, end)) {
        // The same text as the last date: the same evidence (already added) and instant.
        if (parts.yearFirst) {
          numbers[i] = scannedMs;
          if (scannedMs !== scannedMs) dateInvalid++;
        }
      } else if (scanDate(text, start, end, parts)) {
        addDateOrderEvidence(evidence, parts);
        // Year-first dates need no order, so their instants are kept and not scanned again.
        if (parts.yearFirst) {
          const ms = partsToEpochMs(parts, 'day-first');
          numbers[i] = ms;
          if (ms !== ms) dateInvalid++;
          scannedMs = ms;
        }
        scanned = text;
        scannedStart = start;
        scannedEnd = end;
      } else canDate = false;
    }
    if (!canBoolean && !canDate) break;
  }
  const type: ColumnType =
    present === 0 && nonFiniteCount === 0 ? 'text' : canNumber && canInteger ? 'integer' : canNumber ? 'number' : canBoolean ? 'boolean' : canDate ? 'date' : 'text';
  const base = { markersAsMissing: type === 'text' ? 0 : markerCount, markerExample: type === 'text' ? null : markerExample, unreadable: 0, unreadableExample: null };
  switch (type) {
    case 'integer':
    case 'number':
      return {
        ...base,
        type,
        values: finishNumbers(numbers, emptyCount + markerCount + nonFiniteCount),
        missing: emptyCount + markerCount + nonFiniteCount,
        dateOrder: null,
        ...(nonFiniteCount > 0 ? { nonFinite: { count: nonFiniteCount, example: nonFiniteExample } } : {}),
      };
    case 'boolean': {
      const values: (boolean | null)[] = new Array<boolean | null>(n);
      for (let i = 0; i < n; i++) values[i] = cells.seek(i) ? cellBoolean(cells, false) : null;
      return { ...base, type, values, missing: emptyCount + markerCount, dateOrder: null };
    }
    case 'date': {
      const resolved = resolveDateOrder(evidence);
      if (resolved.status === 'conflict' && dateOrder === 'auto') return { ...buildText(cells, { ...base, markersAsMissing: 0, markerExample: null }), dateOrder: resolved };
      const order = dateOrder === 'auto' ? resolved.order : dateOrder;
      if (!evidence.yearLast && dateInvalid === 0) {
        return { ...base, type, values: epochToDates(numbers), missing: emptyCount + markerCount, dateOrder: { order, status: 'not-needed' } };
      }
      const built = readDates(cells, order);
      // A value can scan as a date yet be out of range (31/02/2020); then the column is text.
      if (built.unread.unreadable > 0) return buildText(cells, { ...base, markersAsMissing: 0, markerExample: null });
      return { ...base, type, values: built.values, missing: built.unread.missing, dateOrder: dateOrder === 'auto' ? resolved : { order, status: 'chosen' } };
    }
    case 'text':
      return buildText(cells, { ...base, markersAsMissing: 0, markerExample: null });
    default:
      return assertNever(type);
  }
}

/**
 * Whether `a[aStart, aEnd)` and `b[bStart, bEnd)` hold the same text: both strings or both
 * bytes of the one encoding, compared unit by unit (a byte and a UTF-16 unit are never
 * compared: equal codes there need not be equal characters).
 */
export function sameText(a: CodeUnits, aStart: number, aEnd: number, b: CodeUnits, bStart: number, bEnd: number): boolean {
  const length = aEnd - aStart;
  if (length !== bEnd - bStart) return false;
  if (typeof a === 'string') {
    if (typeof b !== 'string') return false;
    for (let k = 0; k < length; k++) if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
    return true;
  }
  if (typeof b === 'string') return false;
  for (let k = 0; k < length; k++) if (a[aStart + k] !== b[bStart + k]) return false;
  return true;
}

function buildText(cells: TextCells, base: Pick<BuiltColumn, 'markersAsMissing' | 'markerExample' | 'unreadable' | 'unreadableExample'>): BuiltColumn {
  const n = cells.length;
  const interner = new Interner();
  let dictionary: ByteDictionary | null = null;
  // Byte cells: their value's number + 1 in the dictionary, filled in once it is decoded.
  let ids: Int32Array | null = null;
  const values: (string | null)[] = new Array<string | null>(n);
  let missing = 0;
  // The last byte cell numbered: a run of the same bytes (an invoice's number on each of its lines) takes its number without a lookup.
  let last: Uint8Array | null = null;
  let lastStart = 0;
  let lastEnd = 0;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    if (cells.seek(i)) {
      const { text, start, end } = cells;
      if (typeof text === 'string') values[i] = interner.intern(text.slice(start, end));
      else {
        dictionary ??= new ByteDictionary();
        ids ??= new Int32Array(n);
        const id = lastId >= 0 && last !== null && sameText(last, lastStart, lastEnd, text, start, end) ? lastId : dictionary.id(cells, text, start, end);
        if (id >= 0) {
          ids[i] = id + 1;
          last = text;
          lastStart = start;
          lastEnd = end;
          lastId = id;
        } else values[i] = cells.decode(start, end);
      }
    } else {
      values[i] = null;
      missing++;
    }
  }
  if (dictionary !== null && ids !== null) {
    const strings = dictionary.strings();
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id > 0) values[i] = strings[id - 1]!;
    }
  }
  return { ...base, type: 'text', values, missing, dateOrder: null };
}

/** The cells a read under a known type left missing: blank, a missing marker, or unreadable. */
interface Unread {
  missing: number;
  markers: number;
  markerExample: string | null;
  unreadable: number;
  unreadableExample: string | null;
}

function newUnread(): Unread {
  return { missing: 0, markers: 0, markerExample: null, unreadable: 0, unreadableExample: null };
}

/** Counts the current cell, which the read could not use, as missing: a missing marker, or else unreadable. */
function noteUnread(unread: Unread, cells: TextCells): void {
  unread.missing++;
  if (cellIsMarker(cells)) {
    unread.markers++;
    unread.markerExample ??= cells.decode(cells.start, cells.end);
  } else {
    unread.unreadable++;
    unread.unreadableExample ??= cells.decode(cells.start, cells.end);
  }
}

/** A forced column from its values and what the read left missing. */
function forcedColumn(type: ColumnType, values: BuiltColumn['values'], unread: Unread, dateOrder: BuiltColumn['dateOrder']): BuiltColumn {
  return {
    type,
    values,
    missing: unread.missing,
    markersAsMissing: unread.markers,
    markerExample: unread.markerExample,
    unreadable: unread.unreadable,
    unreadableExample: unread.unreadableExample,
    dateOrder,
  };
}

function readDates(cells: TextCells, order: DateOrder): { values: (Date | null)[]; unread: Unread } {
  const n = cells.length;
  const parts = newDateParts();
  const instants = new Float64Array(n);
  const unread = newUnread();
  let scanned: CodeUnits | null = null;
  let scannedStart = 0;
  let scannedEnd = 0;
  let scannedMs = Number.NaN;
  for (let i = 0; i < n; i++) {
    instants[i] = Number.NaN;
    if (!cells.seek(i)) {
      unread.missing++;
      continue;
    }
    const { text, start, end } = cells;
    // A run of the same text as the last date read takes its instant.
    if (scanned !== null && sameText(scanned, scannedStart, scannedEnd, text, start, end)) {
      instants[i] = scannedMs;
      continue;
    }
    if (scanDate(text, start, end, parts)) {
      const ms = partsToEpochMs(parts, order);
      if (ms === ms) {
        instants[i] = ms;
        scanned = text;
        scannedStart = start;
        scannedEnd = end;
        scannedMs = ms;
        continue;
      }
    }
    noteUnread(unread, cells);
  }
  return { values: epochToDates(instants), unread };
}

function buildForced(cells: TextCells, type: ColumnType, dateOrder: DateOrderChoice): BuiltColumn {
  const n = cells.length;
  const none = { markersAsMissing: 0, markerExample: null, unreadable: 0, unreadableExample: null };
  switch (type) {
    case 'integer':
    case 'number': {
      const numbers = new Float64Array(n);
      const unread = newUnread();
      for (let i = 0; i < n; i++) {
        numbers[i] = Number.NaN;
        if (!cells.seek(i)) {
          unread.missing++;
          continue;
        }
        const { text, start, end } = cells;
        const v = parseNumberAt(text, start, end, false);
        if (v === v && (type === 'number' || Number.isInteger(v))) {
          numbers[i] = v;
          continue;
        }
        noteUnread(unread, cells);
      }
      return forcedColumn(type, finishNumbers(numbers, unread.missing), unread, null);
    }
    case 'boolean': {
      const values: (boolean | null)[] = new Array<boolean | null>(n);
      const unread = newUnread();
      for (let i = 0; i < n; i++) {
        values[i] = null;
        if (!cells.seek(i)) {
          unread.missing++;
          continue;
        }
        const v = cellBoolean(cells, true);
        if (v !== null) {
          values[i] = v;
          continue;
        }
        noteUnread(unread, cells);
      }
      return forcedColumn(type, values, unread, null);
    }
    case 'date': {
      let order: DateOrder;
      let status: NonNullable<BuiltColumn['dateOrder']>['status'] = 'chosen';
      if (dateOrder === 'auto') {
        const parts = newDateParts();
        const evidence = newDateOrderEvidence();
        for (let i = 0; i < n; i++) if (cells.seek(i) && scanDate(cells.text, cells.start, cells.end, parts)) addDateOrderEvidence(evidence, parts);
        const resolved = resolveDateOrder(evidence);
        order = resolved.order;
        status = resolved.status;
      } else {
        order = dateOrder;
      }
      const built = readDates(cells, order);
      return forcedColumn(type, built.values, built.unread, { order, status });
    }
    case 'text':
      return buildText(cells, none);
    default:
      return assertNever(type);
  }
}

/** Builds a typed column from JavaScript values (JSON, Parquet, Arrow readers). */
export function buildFromValues(values: ArrayLike<unknown>, choice: TypeChoice, dateOrder: DateOrderChoice = 'auto'): BuiltColumn {
  const n = values.length;
  if (choice === 'auto') {
    let numbers = 0;
    let integers = 0;
    let booleans = 0;
    let dates = 0;
    let strings = 0;
    let others = 0;
    let missing = 0;
    let nonFinite = 0;
    let nonFiniteExample = '';
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) missing++;
      else if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          if (nonFinite++ === 0) nonFiniteExample = String(v);
        }
        else {
          numbers++;
          if (Number.isInteger(v)) integers++;
        }
      } else if (typeof v === 'bigint') {
        if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(-Number.MAX_SAFE_INTEGER)) {
          numbers++;
          integers++;
        } else others++;
      } else if (typeof v === 'boolean') booleans++;
      else if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) missing++;
        else dates++;
      } else if (typeof v === 'string') strings++;
      else others++;
    }
    const present = numbers + booleans + dates + strings + others;
    const blank = { markersAsMissing: 0, markerExample: null, unreadable: 0, unreadableExample: null, dateOrder: null };
    if (present > 0 && numbers === present) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        out[i] = typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : Number.NaN;
      }
      return {
        ...blank,
        type: integers === numbers ? 'integer' : 'number',
        values: finishNumbers(out, missing + nonFinite),
        missing: missing + nonFinite,
        ...(nonFinite > 0 ? { nonFinite: { count: nonFinite, example: nonFiniteExample } } : {}),
      };
    }
    if (present > 0 && booleans === present) {
      const out: (boolean | null)[] = Array.from({ length: n }, (_, i) => {
        const v = values[i];
        return typeof v === 'boolean' ? v : null;
      });
      return { ...blank, type: 'boolean', values: out, missing };
    }
    if (present > 0 && dates === present) {
      const out: (Date | null)[] = Array.from({ length: n }, (_, i) => {
        const v = values[i];
        return v instanceof Date && !Number.isNaN(v.getTime()) ? new Date(v.getTime()) : null;
      });
      return { ...blank, type: 'date', values: out, missing };
    }
  }
  return buildColumn(new StringCells(Array.from({ length: n }, (_, i) => valueText(values[i]))), choice, dateOrder);
}

/** A JavaScript value as cell text (null when missing). */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  } catch {
    return String(value);
  }
}

/** Exhaustiveness guard for switches (the engine's one, re-exported for the data kernels that import it from here). */
export { assertNever };
