import { describe, expect, it } from 'vitest';
import { fieldEnd, sniffDelimiter, tokenizeDelimited, uniqueNames, type DelimitedText } from '../../src/data/csv.ts';

/** Field texts of a tokenized grid, row by row (null for a field the row did not have). */
function cells(grid: DelimitedText): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (let r = 0; r < grid.rowCount; r++) {
    const row: (string | null)[] = [];
    for (let c = 0; c < grid.width; c++) {
      const k = r * grid.width + c;
      const s = grid.starts[k]!;
      row.push(s === -1 ? null : s <= -2 ? grid.escaped[-2 - s]! : grid.text.slice(s, fieldEnd(grid, s)));
    }
    rows.push(row);
  }
  return rows;
}

describe('tokenizeDelimited', () => {
  it('splits quoted fields holding delimiters, doubled quotes and line breaks', () => {
    const grid = tokenizeDelimited('a,b\n"x,1","say ""hi"""\n"two\nlines",3\n', { delimiter: ',' });
    expect(grid.names).toEqual(['a', 'b']);
    expect(cells(grid)).toEqual([
      ['x,1', 'say "hi"'],
      ['two\nlines', '3'],
    ]);
  });

  it('accepts LF, CRLF and CR line ends, a missing final line break and a trailing empty field', () => {
    expect(cells(tokenizeDelimited('a;b\r\n1;2\r3;\n4;5', { delimiter: ';' }))).toEqual([
      ['1', '2'],
      ['3', ''],
      ['4', '5'],
    ]);
  });

  it('keeps text after a closing quote, as spreadsheets do, and flags an unterminated quote', () => {
    const grid = tokenizeDelimited('a,b\n"x"y,2\n"open,3\n', { delimiter: ',' });
    expect(cells(grid)).toEqual([
      ['xy', '2'],
      ['open,3\n', null],
    ]);
    expect(grid.unterminatedQuote).toBe(true);
    expect(grid.shortRows).toBe(1);
  });

  it('finds where quoted, empty and unquoted fields end without stored end offsets', () => {
    const grid = tokenizeDelimited('a,b,c\n"x",,""\n"",y,"z\r\nw"\r\n', { delimiter: ',' });
    expect(cells(grid)).toEqual([
      ['x', '', ''],
      ['', 'y', 'z\r\nw'],
    ]);
  });

  it('gives no rows and no columns for an empty text', () => {
    const grid = tokenizeDelimited('', { delimiter: ',' });
    expect([grid.width, grid.rowCount, grid.names]).toEqual([0, 0, []]);
  });

  it('grows past its first capacity estimate on long files with short first lines', () => {
    const text = `a\n1\n2\n${'x'.repeat(70_000)}\n${Array.from({ length: 5000 }, (_, i) => String(i)).join('\n')}\n`;
    const grid = tokenizeDelimited(text, { delimiter: ',' });
    expect(grid.rowCount).toBe(5003);
    expect(cells(grid)[5002]).toEqual(['4999']);
  });
});

describe('sniffDelimiter', () => {
  it('picks the delimiter that splits every line the same way', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\r\n"1,5";2;3\r\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2')).toBe('|');
    expect(sniffDelimiter('just one column\nvalue\n')).toBe(',');
  });
});

describe('uniqueNames', () => {
  it('trims names, fills blanks and numbers repeats', () => {
    expect(uniqueNames([' id ', '', 'id', 'id'])).toEqual({ names: ['id', 'column_2', 'id_2', 'id_3'], renamed: 3 });
  });
});
