/**
 * Ragged basket files — one basket a line, its items separated by a delimiter, no header (the
 * layout of arules' Groceries and most market-basket exports) — read as long basket/item rows:
 * `basket` is the 1-based line number, `item` the trimmed item text. Blank lines hold no basket;
 * empty items (",,") are skipped; fields may be double-quoted ("a, b" with "" for a quote) and a
 * quoted field may span lines.
 */
import type { Delimiter, DelimiterChoice } from './csv.ts';

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
    } else if (ch === delimiter) push();
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
