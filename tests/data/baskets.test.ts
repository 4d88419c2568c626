/**
 * The 'baskets' format of the load reader: one basket a line read as long basket/item rows, and
 * on Groceries the same 43,367 rows as the long file beside it in ../shared/data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBasketLines } from '../../src/data/baskets.ts';
import { readTable } from '../../src/data/read.ts';

describe('readBasketLines', () => {
  it('numbers baskets by line, trims items, skips blank lines and empty items, reads quotes across lines', () => {
    const rows = readBasketLines('milk, bread\r\n\r\n"a, b",,eggs\n"two\nlines";x\n', 'auto');
    expect(rows.delimiter).toBe(',');
    expect(rows.columns).toEqual([
      [1, 1, 3, 3, 4],
      ['milk', 'bread', 'a, b', 'eggs', 'two\nlines;x'],
    ]);
  });

  it('guesses a semicolon or tab delimiter from the first lines', () => {
    expect(readBasketLines('a;b;c\nd;e\n', 'auto').columns).toEqual([[1, 1, 1, 2, 2], ['a', 'b', 'c', 'd', 'e']]);
    expect(readBasketLines('a\tb\n', 'auto').delimiter).toBe('\t');
  });
});

const dir = fileURLToPath(new URL('../../../shared/data/groceries/', import.meta.url));
describe.skipIf(!existsSync(`${dir}groceries.csv`))(`format 'baskets' on Groceries (${existsSync(`${dir}groceries.csv`) ? dir : 'skipped: ../shared/data/groceries not found'})`, () => {
  it('reads the ragged file into the same basket/item rows as groceries_long.csv, with no note', async () => {
    const result = await readTable({ name: 'groceries.csv', bytes: new Uint8Array(readFileSync(`${dir}groceries.csv`)) }, { format: 'baskets' });
    expect(result.notes).toEqual([]);
    expect(result.types).toEqual({ basket: 'integer', item: 'text' });
    // Items are trimmed: arules' label "cream cheese " (trailing space) reads as "cream cheese".
    const long = readFileSync(`${dir}groceries_long.csv`, 'utf8').split(/\r?\n/).slice(1).filter((l) => l !== '').map((l) => l.trimEnd());
    expect(result.table.numRows()).toBe(43367);
    const got = Array.from({ length: result.table.numRows() }, (_, r) => `${String(result.table.get('basket', r))},${String(result.table.get('item', r))}`);
    expect(got).toEqual(long);
  });
});
