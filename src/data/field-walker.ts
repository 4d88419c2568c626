/**
 * The field splitter of typed-csv.ts: csv.ts's tokenizer over bytes, field by field, with fast
 * readers that read a plain number, hash a plain text or match the last date's bytes in the same
 * loop that finds the field's end.
 */
import { CR, LF, QUOTE, SPACE, TAB, type Delimiter } from './csv.ts';
import { FNV_OFFSET, FNV_OFFSET_ODD, FNV_PRIME, sameBytesAt } from './infer.ts';

/**
 * The field splitter of csv.ts's tokenizer, for bytes: after `field()`, the field is
 * `bytes[start, end)`, or `escaped` when it had doubled quotes or text after its closing quote.
 */
export class FieldWalker {
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
  /** The hash of the field read by `hashed()` (ByteDictionary's, see infer.ts FNV_OFFSET). */
  hash = 0;
  /** The OR of the bytes of the field read by `hashed()` (below 0x80: ASCII). */
  high = 0;
  /** The delimiter's byte, or −1 for runs of blanks (where no field is read by the fast readers). */
  readonly fastDelimiter: number;
  private readonly delim: number;
  private readonly alt: number;
  private readonly runs: boolean;
  private readonly decode: (bytes: Uint8Array) => string;
  // The bytes read four at a time, by `sameAs`.
  private readonly words: DataView;

  constructor(bytes: Uint8Array, begin: number, delimiter: Delimiter, decode: (bytes: Uint8Array) => string) {
    this.bytes = bytes;
    this.pos = begin;
    this.runs = delimiter === 'whitespace';
    this.delim = this.runs ? SPACE : delimiter.charCodeAt(0);
    this.alt = this.runs ? TAB : this.delim;
    this.fastDelimiter = this.runs ? -1 : this.delim;
    this.decode = decode;
    this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
    let g = HASH_OFFSET_ODD;
    let high = 0;
    let i = start;
    for (;;) {
      if (i >= n) break;
      let c = bytes[i]!;
      if (c === delim || c === LF || c === CR) break;
      high |= c;
      h = Math.imul(h ^ c, HASH_PRIME);
      i++;
      if (i >= n) break;
      c = bytes[i]!;
      if (c === delim || c === LF || c === CR) break;
      high |= c;
      g = Math.imul(g ^ c, HASH_PRIME);
      i++;
    }
    if (i === start) return false;
    this.start = start;
    this.end = i;
    this.hash = Math.imul(h ^ g, HASH_PRIME);
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
    // Four bytes a compare (a timestamp is 19): this compare runs on most fields of a date column.
    if (!sameBytes(bytes, this.words, from, bytes, this.words, start, length)) return false;
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
const HASH_OFFSET_ODD = FNV_OFFSET_ODD;
const HASH_PRIME = FNV_PRIME;
const sameBytes = sameBytesAt;

/** Powers of ten that are exact doubles (10^0 … 10^15), as parseNumberAt divides by them. */
const exactPowers = Array.from({ length: 16 }, (_, k) => 10 ** k);
