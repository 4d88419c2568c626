/**
 * One column of typed-csv.ts's walk being typed as it is handed cells, in row order, by
 * buildColumn's rules (infer.ts, the reference), and finished into the column buildColumn would
 * build. See typed-csv.ts's header for what is settled after the walk.
 */
import type { CodeUnits } from './code-units.ts';
import { CR, LF, SPACE, TAB } from './csv.ts';
import { addDateOrderEvidence, epochToDates, newDateOrderEvidence, newDateParts, partsToEpochMs, resolveDateOrder, scanDate } from './dates.ts';
import { buildColumn, ByteDictionary, cellBoolean, cellIsMarker, cellIsNonFinite, finishNumbers, Interner, sameText, type BuiltColumn, type Cell, type DateOrderChoice, type TextCells, type TypeChoice } from './infer.ts';
import { parseNumberAt } from './numbers.ts';
import { codedTextSummary, instantSummary, numberSummary, type KnownSummary } from './stats.ts';

/** The walk's fast reader for a column's next field: none. */
export const NO_FAST = 0;
/** Fast reader: a plain number (FieldWalker.number). */
export const FAST_NUMBER = 1;
/** Fast reader: a plain text, hashed (FieldWalker.hashed). */
export const FAST_TEXT = 2;
/** Fast reader: the last date's bytes again (FieldWalker.sameAs). */
export const FAST_DATE = 3;
/** Fast reader: the last text's bytes again (FieldWalker.sameAs), else a plain text, hashed (a text column whose last value was read hashed). */
export const FAST_TEXT_AGAIN = 4;

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
export class ColumnBuilder implements Cell {
  text: CodeUnits;
  start = 0;
  end = 0;
  /**
   * The walk's fast reader for this column's next field: numbers while it is a number column,
   * hashing while it is text (first the last text's bytes again, when it was read hashed: an
   * invoice's number on each of its lines takes no hash), the last date's bytes while it is a
   * date column (when they hold no delimiter or line break). A field the fast reader declines
   * goes the general way.
   */
  fast = NO_FAST;
  /** Where the last date scanned (FAST_DATE) or text hashed (FAST_TEXT_AGAIN) lies in the file's bytes. */
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
  // The dictionary's values, decoded before the file's bytes may go (decodeDictionary).
  private decoded: string[] | null = null;
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
      this.scannedStart = start;
      this.scannedEnd = end;
      this.fast = FAST_TEXT_AGAIN;
    } else this.keepOther(row, this.decode(start, end));
  }

  /** Row `row` holds the same bytes as the last text hashed, read by the walk's fast reader (FAST_TEXT_AGAIN only). */
  repeatedText(row: number): void {
    this.nonEmpty++;
    this.ids![row] = this.lastId + 1;
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
      // The last text may hold a delimiter now: the walk may no longer match its bytes.
      if (this.fast === FAST_TEXT_AGAIN) this.fast = FAST_TEXT;
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

  /** Whether finishing reads the file's bytes again (a forced type's kept cells); other columns need them no more once `decodeDictionary` has run. */
  readsBytesToFinish(): boolean {
    return this.choice !== 'auto' && this.choice !== 'text';
  }

  /** Decodes the dictionary's values now, from the file's bytes, for `finish` to use after they are gone. */
  decodeDictionary(): void {
    if (this.dictionary !== null && this.decoded === null) this.decoded = this.dictionary.strings();
  }

  /**
   * The built column over `rows` rows, as buildColumn would return it, and with `summarise`
   * its summary for statistics when it is cheap now (numbers, dates, and text whose codes are
   * its distinct values).
   */
  finish(rows: number, dateOrder: DateOrderChoice, summarise: { topCount: number; codes: boolean } | null): { built: BuiltColumn; summary: KnownSummary | null; spent: ArrayBuffer[] } {
    const finished = this.finished(rows, dateOrder, summarise);
    // What the column was built from is garbage now, before the next column is finished (load holds the columns, not their makings);
    // its array buffers are handed back, for a host that can free them at once, except one the column's values are (a Float64Array of numbers).
    const values = finished.built.values;
    const kept = ArrayBuffer.isView(values) ? values.buffer : null;
    const spent: ArrayBuffer[] = [];
    for (const scratch of [this.numbers, this.monthFirst, this.booleans, this.ids, this.starts, this.ends, ...(this.dictionary?.arrays() ?? [])]) {
      const buffer = scratch?.buffer;
      if (buffer instanceof ArrayBuffer && buffer !== kept && !spent.includes(buffer)) spent.push(buffer);
    }
    this.numbers = null;
    this.monthFirst = null;
    this.booleans = null;
    this.ids = null;
    this.others = null;
    this.dictionary = null;
    this.decoded = null;
    this.starts = null;
    this.ends = null;
    this.kept = [];
    this.scanned = null;
    this.last = null;
    return { ...finished, spent };
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
        // The walk's own array, without a copy, unless more than an eighth of it is spare room (a grown array).
        values: finishNumbers(all === 0 && this.numbers!.length - rows > rows / 8 ? numbers.slice() : numbers, all),
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
    const strings = this.decoded ?? (this.dictionary !== null ? this.dictionary.strings() : []);
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
