import { describe, expect, it } from 'vitest';
import { fieldEnd, paddedFields, sniffDelimiter, sniffDelimiterWithReason, splitLine, tokenizeDelimited, type DelimitedText } from '../../src/data/csv.ts';
import { readTable } from '../../src/data/read.ts';
import { readForAnalysis } from '../../src/auto/analyse.ts';

/** Field texts of a tokenized grid, row by row (null for a field the row did not have). */
function cells(grid: DelimitedText): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (let r = 0; r < grid.rowCount; r++) {
    const row: (string | null)[] = [];
    for (let c = 0; c < grid.width; c++) {
      const s = grid.starts[r * grid.width + c]!;
      row.push(s === -1 ? null : s <= -2 ? grid.escaped[-2 - s]! : grid.text.slice(s, fieldEnd(grid, s)));
    }
    rows.push(row);
  }
  return rows;
}

const log = ' 00001 19970101   1    11.77\n 00001 19970112   2    12.00\n 00002 19970102   2    20.76\n 00003 19970101   2    20.76\n';
const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

describe('the whitespace delimiter (runs of spaces or tabs)', () => {
  it('splits a whitespace-aligned log on runs of blanks, ignoring blanks that open or close a line and blank lines', () => {
    const grid = tokenizeDelimited(' 1 19970101  1  11.77  \r\n\r\n   \n 2\t19970102\t \t2 20.76', { delimiter: 'whitespace', header: false });
    expect(grid.width).toBe(4);
    expect(cells(grid)).toEqual([
      ['1', '19970101', '1', '11.77'],
      ['2', '19970102', '2', '20.76'],
    ]);
    expect(grid.longRows + grid.shortRows).toBe(0);
  });

  it('keeps a quoted field with blanks inside as one field', () => {
    expect(cells(tokenizeDelimited('name  city\n"Ann Lee"   "New York"\n', { delimiter: 'whitespace' }))).toEqual([['Ann Lee', 'New York']]);
  });

  it('is sniffed for a log that no comma, semicolon, tab or pipe splits, and says so', () => {
    expect(sniffDelimiterWithReason(log)).toEqual({ delimiter: 'whitespace', reason: 'runs of spaces or tabs: 4 fields on 4 of the first 4 lines' });
    // Tabs mixed with spaces split no better than runs of both.
    expect(sniffDelimiter('a\t b  c\n1 \t2\t3\n4  5 6\n')).toBe('whitespace');
  });

  it('loses to the comma in a padded CSV, where both split every line the same way', () => {
    expect(sniffDelimiter('00001, 19970101,  1,  11.77\n00001, 19970112,  2,  12.00\n')).toBe(',');
    expect(sniffDelimiter('"a b", "c d"\n"e f", "g h"\n')).toBe(',');
  });

  it('is not chosen for one column of text with a varying number of words', () => {
    expect(sniffDelimiter('name\nJohn Smith\nAnn\nMary Ann Lee\nBob\n')).toBe(',');
  });

  it('reads zero-padded ids as text and YYYYMMDD days and amounts as numbers through the padding, with no header row', async () => {
    const read = await readForAnalysis(file('CDNOW_master.txt', log));
    expect(read.reading).toMatchObject({ delimiter: 'whitespace', header: false, sniffed: { delimiter: 'whitespace' } });
    expect(read.table.columnNames()).toEqual(['col1', 'col2', 'col3', 'col4']);
    expect(read.table.objects()[0]).toEqual({ col1: '00001', col2: 19970101, col3: 1, col4: 11.77 });
  });

  it('splits the first lines the way the tokenizer does', () => {
    expect(splitLine('  a  b\tc ', 'whitespace')).toEqual(['a', 'b', 'c']);
    expect(splitLine('a,,b', ',')).toEqual(['a', '', 'b']);
  });
});

describe('padded fields in a CSV (a fixed-width log converted)', () => {
  const padded = ' cust_id ,     date , cds,  amount\n   00001 , 19970101,   1,   11.77\n   00002 , 19970102,   2,   20.76\n';
  const quoted = '"cust_id","date","cds","amount"\n"  00001"," 19970101","  1","  11.77"\n"  00002"," 19970102","  2","  20.76"\n';

  it('are found when at least a tenth of the first fields start or end with a blank', () => {
    expect(paddedFields(padded, ',')).toEqual({ padded: true, reason: '12 of 12 fields on the first 3 lines are padded with spaces, so they are read trimmed' });
    expect(paddedFields(quoted, ',').padded).toBe(true);
    expect(paddedFields('a,b\n1,2\nx y,3\n', ',').padded).toBe(false);
    expect(paddedFields(log, 'whitespace').padded).toBe(false);
  });

  it('are read trimmed with trim: ids stay text with their zeros, numbers parse, inside quotes too', async () => {
    for (const text of [padded, quoted]) {
      const read = await readTable(file('log.csv', text), { trim: true });
      expect(read.types).toEqual({ cust_id: 'text', date: 'integer', cds: 'integer', amount: 'number' });
      expect(read.table.objects()).toEqual([
        { cust_id: '00001', date: 19970101, cds: 1, amount: 11.77 },
        { cust_id: '00002', date: 19970102, cds: 2, amount: 20.76 },
      ]);
    }
  });

  it('keep their blanks without trim (the default), so other files read as before', async () => {
    const read = await readTable(file('log.csv', padded));
    expect(read.table.objects()[0]).toMatchObject({ cust_id: '   00001 ' });
  });

  it('are trimmed by the guided start, which says so and makes trim a load param', async () => {
    const read = await readForAnalysis(file('log.csv', quoted));
    expect(read.reading.trim).toMatch(/^8 of 12 fields on the first 3 lines are padded with spaces/);
    expect(read.table.objects()[0]).toEqual({ cust_id: '00001', date: 19970101, cds: 1, amount: 11.77 });
  });
});
