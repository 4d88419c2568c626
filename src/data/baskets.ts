/**
 * Ragged basket files — one basket a line, its items separated by a delimiter, no header (the
 * layout of arules' Groceries and most market-basket exports) — read as long basket/item rows:
 * `basket` is the 1-based line number, `item` the trimmed item text. Blank lines hold no basket;
 * empty items (",,") are skipped; fields may be double-quoted ("a, b" with "" for a quote) and a
 * quoted field may span lines. Also: baskets from the basket and item cells of any table.
 */
import type { Delimiter, DelimiterChoice } from './csv.ts';
import { DataError, errorTemplate, warningTemplate } from './issues.ts';
import { basketsFromPairs, type Baskets } from '../ml/fpgrowth.ts';
import { cellKey } from './cells.ts';

/** Long basket/item columns read from a ragged basket file. */
export interface BasketRows {
  /** Column names: basket, item. */
  names: string[];
  /** basket numbers and item texts, row-aligned. */
  columns: [number[], string[]];
  /** The delimiter used. */
  delimiter: Delimiter;
}

/** The candidate delimiter seen most often in the first 64 KiB of text (',' when none is seen). */
export function guessDelimiter(text: string): Delimiter {
  const head = text.slice(0, 64 * 1024);
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|'] as const) {
    let count = 0;
    for (let i = head.indexOf(d); i >= 0; i = head.indexOf(d, i + 1)) count++;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Distinct item texts kept once each (baskets repeat few items many times); past this many, new ones are kept as they come. */
const maxInterned = 1 << 20;

/**
 * Reads one basket a line (see the file header) from text given a piece at a time: a field,
 * a quoted field or a "\r\n" split between pieces reads as if the text were whole. Unquoted
 * runs are cut out of a piece at once rather than a character at a time.
 */
export class BasketLineReader {
  private readonly delimiter: Delimiter;
  private readonly checkpoint: (() => void) | undefined;
  private readonly baskets: number[] = [];
  private readonly items: string[] = [];
  private readonly interned = new Map<string, string>();
  private line = 1;
  private basketLine = 1;
  /** The current field's text from earlier pieces and quoted parts. */
  private field = '';
  private quoted = false;
  /** A quote ended the last piece inside a quoted field: the next character says whether it was "" or the closing one. */
  private quoteAtEnd = false;
  /** A "\r" ended the last piece: a "\n" starting the next belongs to it. */
  private crAtEnd = false;

  constructor(delimiter: Delimiter, checkpoint?: () => void) {
    this.delimiter = delimiter;
    this.checkpoint = checkpoint;
  }

  private push(): void {
    const item = this.field.trim();
    if (item !== '') {
      let kept = this.interned.get(item);
      if (kept === undefined) {
        kept = item;
        if (this.interned.size < maxInterned) this.interned.set(item, item);
      }
      this.baskets.push(this.basketLine);
      this.items.push(kept);
    }
    this.field = '';
  }

  /** Reads the next piece of text. */
  feed(text: string): void {
    // An empty piece changes nothing (and must not consume a pending "\r" or quote).
    if (text.length === 0) return;
    const delimiter = this.delimiter.charCodeAt(0);
    const whitespace = this.delimiter === 'whitespace';
    let i = 0;
    if (this.crAtEnd) {
      this.crAtEnd = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    if (this.quoteAtEnd) {
      this.quoteAtEnd = false;
      if (text.charCodeAt(i) === 34) {
        this.field += '"';
        i++;
      } else this.quoted = false;
    }
    let run = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (c === 34) {
          this.field += text.slice(run, i);
          if (i + 1 === text.length) {
            this.quoteAtEnd = true;
            run = i + 1;
          } else if (text.charCodeAt(i + 1) === 34) {
            this.field += '"';
            i++;
            run = i + 1;
          } else {
            this.quoted = false;
            run = i + 1;
          }
        } else if (c === 10) this.line++;
        continue;
      }
      if (c === 34 && (this.field + text.slice(run, i)).trim() === '') {
        this.field = '';
        this.quoted = true;
        run = i + 1;
      } else if (whitespace ? c === 32 || c === 9 : c === delimiter) {
        this.field += text.slice(run, i);
        this.push();
        run = i + 1;
      } else if (c === 10 || c === 13) {
        this.field += text.slice(run, i);
        this.push();
        if (c === 13) {
          if (i + 1 === text.length) this.crAtEnd = true;
          else if (text.charCodeAt(i + 1) === 10) i++;
        }
        this.line++;
        this.basketLine = this.line;
        if ((this.line & 0x3fff) === 0) this.checkpoint?.();
        run = i + 1;
      }
    }
    this.field += text.slice(run);
  }

  /** Ends the text and gives the rows. */
  done(): BasketRows {
    this.push();
    return { names: ['basket', 'item'], columns: [this.baskets, this.items], delimiter: this.delimiter };
  }
}

/** Reads one basket a line into long basket/item rows (see the file header). */
export function readBasketLines(text: string, delimiterChoice: DelimiterChoice, checkpoint?: () => void): BasketRows {
  const reader = new BasketLineReader(delimiterChoice === 'auto' ? guessDelimiter(text) : delimiterChoice, checkpoint);
  reader.feed(text);
  return reader.done();
}

/** Messages of basketsFromCells. */
export const basketMessages = {
  notNumeric: errorTemplate('Column {column} must hold numbers; row {row} holds {value}.'),
  skippedRows: warningTemplate('{skipped} of {rows} rows left out: {missing} without a basket or item, {returns} with a missing quantity or quantity ≤ 0 (returns).'),
} as const;

/** Baskets built from table cells, with the items' names. */
export interface BasketsFromRows {
  /** Basket CSR of item ids (an item repeated in a basket is kept once). */
  baskets: Baskets;
  /** Item name per item id (in order of first appearance). */
  itemNames: string[];
  /** Rows left out, by reason. */
  missing: number;
  /** Rows with a missing or non-positive quantity. */
  returns: number;
}

/**
 * Groups rows into baskets: row r puts item(r) into basket(r). Rows without a basket or item,
 * and — when quantities are given — rows whose quantity is missing or ≤ 0, are left out and
 * counted; a quantity that is text is an error naming the column, row and value.
 */
export function basketsFromCells(basket: (row: number) => unknown, item: (row: number) => unknown, rows: number, quantity: { column: string; get: (row: number) => unknown } | null): BasketsFromRows {
  const basketIds = new Map<string, number>();
  const itemIds = new Map<string, number>();
  const itemNames: string[] = [];
  const rowBasket: number[] = [];
  const rowItem: number[] = [];
  let missing = 0;
  let returns = 0;
  for (let r = 0; r < rows; r++) {
    const b = cellKey(basket(r));
    const i = cellKey(item(r));
    if (b === '' || i === '') {
      missing++;
      continue;
    }
    if (quantity !== null) {
      const q: unknown = quantity.get(r);
      if (typeof q === 'string' && q.trim() !== '') throw new DataError(basketMessages, 'notNumeric', { column: quantity.column, row: r + 1, value: q }, 'quantityColumn');
      if (typeof q !== 'number' || !(q > 0)) {
        returns++;
        continue;
      }
    }
    let bid = basketIds.get(b);
    if (bid === undefined) {
      bid = basketIds.size;
      basketIds.set(b, bid);
    }
    let iid = itemIds.get(i);
    if (iid === undefined) {
      iid = itemNames.length;
      itemIds.set(i, iid);
      itemNames.push(i);
    }
    rowBasket.push(bid);
    rowItem.push(iid);
  }
  const baskets = basketsFromPairs(Int32Array.from(rowBasket), Int32Array.from(rowItem), basketIds.size, itemNames.length);
  return { baskets, itemNames, missing, returns };
}

/** Degenerate shapes worth a message: every basket one item, or every basket the same items. */
export function basketShape(baskets: Baskets): { singleItem: boolean; identical: boolean; items: number } {
  const { offsets, items } = baskets;
  const n = offsets.length - 1;
  const distinct = (b: number): number[] => [...new Set(items.subarray(offsets[b], offsets[b + 1]))].sort((x, y) => x - y);
  if (n === 0) return { singleItem: false, identical: false, items: 0 };
  const first = distinct(0);
  let singleItem = first.length === 1;
  let identical = true;
  for (let b = 1; b < n && (singleItem || identical); b++) {
    const d = distinct(b);
    if (d.length !== 1) singleItem = false;
    if (identical && (d.length !== first.length || d.some((v, i) => v !== first[i]))) identical = false;
  }
  return { singleItem, identical: identical && n > 1, items: first.length };
}
