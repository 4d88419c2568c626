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

/** The candidate delimiter seen most often in the first lines (',' when none is seen). */
function guessDelimiter(text: string): Delimiter {
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

/** Reads one basket a line into long basket/item rows (see the file header). */
export function readBasketLines(text: string, delimiterChoice: DelimiterChoice, checkpoint?: () => void): BasketRows {
  const delimiter = delimiterChoice === 'auto' ? guessDelimiter(text) : delimiterChoice;
  const baskets: number[] = [];
  const items: string[] = [];
  let line = 1;
  let basketLine = 1;
  let field = '';
  let quoted = false;
  const push = (): void => {
    const item = field.trim();
    if (item !== '') {
      baskets.push(basketLine);
      items.push(item);
    }
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (ch === delimiter || (delimiter === 'whitespace' && (ch === ' ' || ch === '\t'))) push();
    else if (ch === '\n' || ch === '\r') {
      push();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      basketLine = line;
      if ((line & 0x3fff) === 0) checkpoint?.();
    } else {
      field += ch;
    }
  }
  push();
  return { names: ['basket', 'item'], columns: [baskets, items], delimiter };
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
