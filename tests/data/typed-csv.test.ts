import { describe, expect, it } from 'vitest';
import { columnValues } from '../../src/data/columns.ts';
import { readTable, type ReadOptions, type ReadResult } from '../../src/data/read.ts';
import { columnStats } from '../../src/data/stats.ts';
import { createRng, type Rng } from '../../src/ml/random.ts';

// The typed walk (typed-csv.ts) reads UTF-8 and Windows-1252 delimited bytes; the whole-string
// path (fromBytes: false) runs buildColumn, the reference. Every case compares both.

/** A read as plain data: types, notes and every cell (dates as ISO text), for deep comparison. */
function snapshot(result: ReadResult): unknown {
  const names = result.table.columnNames();
  return {
    names,
    types: { ...result.types },
    notes: result.notes,
    columns: names.map((name) => Array.from(columnValues(result.table, name), (v) => (v instanceof Date ? `D${v.toISOString()}` : v))),
  };
}

async function both(text: string | Uint8Array, options: Partial<ReadOptions> = {}): Promise<{ bytes: unknown; string: unknown }> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const run = async (fromBytes: boolean) => snapshot(await readTable({ name: 'file.csv', bytes }, { ...options, fromBytes }));
  return { bytes: await run(true), string: await run(false) };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

describe('typing delimited bytes as they are tokenized', () => {
  it('reads a column that turns from numbers to text on its last row as text, its first rows read again as written', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${536000 + i},${(i % 7) + 0.5},2010-12-0${(i % 9) + 1} 08:26:00`);
    const text = `InvoiceNo,Price,Date\n${rows.join('\n')}\nC539999,NA,x\n`;
    const result = await both(text);
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ types: { InvoiceNo: 'text', Price: 'number', Date: 'text' } });
    const invoice = (result.bytes as { columns: unknown[][] }).columns[0]!;
    expect(invoice.slice(0, 2)).toEqual(['536000', '536001']);
    expect(invoice.at(-1)).toBe('C539999');
  });

  it('keeps the text of numbers, markers and padding exactly when a column turns to text late (1.50 stays "1.50", " 7 " stays " 7 ")', async () => {
    const text = 'a,b\n1.50,1\n" 7 ",2\nNA,3\n-,4\n1e3,5\nword,6\n';
    const result = await both(text);
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ types: { a: 'text', b: 'integer' }, columns: [['1.50', ' 7 ', 'NA', '-', '1e3', 'word'], [1, 2, 3, 4, 5, 6]] });
  });

  it('reads quoted numbers, doubled quotes and text after a closing quote as the string path does', async () => {
    const text = 'n,t\n"12",plain\n"3.5","say ""hi"""\n"7"x,"a""b"tail\n';
    const result = await both(text);
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ types: { n: 'text', t: 'text' }, columns: [['12', '3.5', '7x'], ['plain', 'say "hi"', 'a"btail']] });
    const numbers = await both('n\n"12"\n"3.5"\n');
    expect(numbers.bytes).toEqual(numbers.string);
    expect(numbers.bytes).toMatchObject({ types: { n: 'number' }, columns: [[12, 3.5]] });
  });

  it('trims padded fields when asked, inside quotes too, and reads them typed', async () => {
    const text = 'id,  when ,amount\n 00001 , 2020-01-02 ,  11.77\n"  2  ","\t2020-01-03","  -3 "\n';
    for (const trim of [false, true]) {
      const result = await both(text, { trim });
      expect(result.bytes, `trim ${trim}`).toEqual(result.string);
    }
    const trimmed = await both(text, { trim: true });
    expect(trimmed.bytes).toMatchObject({ types: { id: 'text', when: 'date', amount: 'number' }, columns: [['00001', '2'], ['D2020-01-02T00:00:00.000Z', 'D2020-01-03T00:00:00.000Z'], [11.77, -3]] });
  });

  it('reads dates with time zones, AM/PM and both day orders, repeated and not, as the string path does', async () => {
    const cases = [
      'd\n2011-12-09 12:50:00+01:00\n2011-12-09 12:50:00+01:00\n2011-12-09T12:50:00Z\n2011-12-09 12:50:00 -0530\n',
      'd\n12/1/2010 8:26\n12/1/2010 8:26\n13/1/2010 8:26\n',
      'd\n1/12/2010 8:26 PM\n1/13/2010 8:26 AM\n1/13/2010 8:26 AM\n',
      'd\n13/1/2010\n1/13/2010\n',
      'd\n2020-02-31\n2020-01-01\n',
      'd\n31/02/2020\n01/01/2020\n',
      'd\n2020-01-01\n01/02/2020\n03/13/2020\n',
    ];
    for (const text of cases) {
      for (const dateOrder of ['auto', 'day-first', 'month-first'] as const) {
        const result = await both(text, { dateOrder });
        expect(result.bytes, `${JSON.stringify(text)} ${dateOrder}`).toEqual(result.string);
      }
    }
    const zoned = await both(cases[0]!);
    expect(zoned.bytes).toMatchObject({ types: { d: 'date' }, columns: [['D2011-12-09T11:50:00.000Z', 'D2011-12-09T11:50:00.000Z', 'D2011-12-09T12:50:00.000Z', 'D2011-12-09T18:20:00.000Z']] });
    const conflict = await both(cases[3]!);
    expect(conflict.bytes).toMatchObject({ types: { d: 'text' }, notes: [{ code: 'conflictingDates' }] });
  });

  it('reads empty cells, short rows, a BOM and CRLF line ends as the string path does', async () => {
    const text = '\uFEFFa,b,c\r\n1,,x\r\n,2\r\n\r\n3,4,\r\n';
    const result = await both(text);
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ names: ['a', 'b', 'c'], types: { a: 'integer', b: 'integer', c: 'text' }, columns: [[1, null, 3], [null, 2, 4], ['x', null, null]] });
  });

  it('reads Windows-1252 bytes typed (text numbered by its bytes, numbers around it) as the string path does', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('name,price\n'), 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x2e, 0x35, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x32, 0x0a]);
    const result = await both(bytes, { encoding: 'windows-1252' });
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ types: { name: 'text', price: 'number' }, columns: [['café', 'café'], [1.5, 2]] });
  });

  it('gives identical tables on 300 seeded long CSVs whose columns turn type at any row, beyond the first rows and across capacity growth', async () => {
    const rng = createRng(44);
    const spoilers = ['C536379', 'NA', '', ' ', 'true', '2020-01-02', '12/13/2020', '1e309', '0123', '"q""q"', '"1,5"', '-', ' 7 '];
    for (let k = 0; k < 300; k++) {
      const delimiter = pick(rng, [',', ';', '\t', '|'] as const);
      const eol = pick(rng, ['\n', '\r\n']);
      const width = 1 + rng.int(4);
      const kinds = Array.from({ length: width }, () => rng.int(5));
      // Short first lines make the row estimate low, so the columns grow while being read.
      const rows = 200 + rng.int(1500);
      const lines = [Array.from({ length: width }, (_, c) => `c${c}`).join(delimiter)];
      for (let r = 0; r < rows; r++) {
        const cells = kinds.map((kind) => {
          if (rng.int(400) === 0) return pick(rng, spoilers);
          switch (kind) {
            case 0:
              return String(rng.int(100000) - 500);
            case 1:
              return (rng.next() * 1000).toFixed(rng.int(4));
            case 2:
              return `2011-0${1 + rng.int(9)}-1${rng.int(10)} 0${rng.int(10)}:30:00`;
            case 3:
              return pick(rng, ['true', 'false', 'TRUE', 'NA']);
            default:
              return pick(rng, ['United Kingdom', 'EIRE', 'Ünïcode', '中文', 'x'.repeat(1 + rng.int(30))]);
          }
        });
        lines.push(r < 5 ? cells.map(() => '1').join(delimiter) : cells.join(delimiter));
      }
      const text = lines.join(eol) + eol;
      const options: Partial<ReadOptions> = { delimiter, trim: k % 5 === 0, dateOrder: pick(rng, ['auto', 'day-first', 'month-first'] as const) };
      const result = await both(text, options);
      expect(result.bytes, `case ${k}`).toEqual(result.string);
    }
  });

  it('reads columns that turn type past the first 16,384 rows the columns start with room for, and text of 300 and 70,000 distinct values, with the summaries columnStats makes', async () => {
    // few: 300 values; many: 70,000; late: numbers, then text from row 69,990, its first rows'
    // numbers read again into its dictionary; count: numbers that turn text past the columns'
    // first rows (typed-csv.ts firstRows), which took the whole capacity at row 16,384.
    const rows = 70_020;
    const lines = ['few,many,late,count'];
    for (let r = 0; r < rows; r++) lines.push(`f${(r * 7) % 300},m${r},${r >= 69_990 ? `x${r}` : r},${r === 20_000 ? 'z' : r % 97}`);
    const text = `${lines.join('\n')}\n`;
    const result = await both(text);
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ types: { few: 'text', many: 'text', late: 'text', count: 'text' } });
    const columns = (result.bytes as { columns: unknown[][] }).columns;
    expect([columns[0]![299], columns[1]![69_999], columns[2]![5], columns[2]![70_019], columns[3]![20_000]]).toEqual(['f293', 'm69999', '5', 'x70019', 'z']);
    const read = await readTable({ name: 'file.csv', bytes: new TextEncoder().encode(text) }, { statsTopCount: 3 });
    expect(read.summaries.size).toBe(4);
    expect(columnStats(read.table, read.types, 3, read.summaries)).toEqual(columnStats(read.table, read.types, 3));
  });

  it('summarises columns while reading exactly as columnStats does from the values, ties and missing cells included', async () => {
    const rng = createRng(45);
    for (let k = 0; k < 60; k++) {
      const rows = Array.from({ length: 50 + rng.int(400) }, () =>
        [pick(rng, ['a', 'b', 'c', 'd', '', 'é', 'a"b']), String(rng.int(6) - 2), pick(rng, ['1.5', '2.25', '', 'NA', '-0', '1e3']), pick(rng, ['2020-01-01', '2020-01-02 10:00', '', '2021-03-04']), pick(rng, ['x', 'y', 'z'])]
          .map((cell) => (cell.includes('"') ? `"${cell.replaceAll('"', '""')}"` : cell))
          .join(','),
      );
      const bytes = new TextEncoder().encode(`t,i,n,d,late\n${rows.join('\n')}\n`);
      const topCount = 1 + rng.int(6);
      const read = await readTable({ name: 'file.csv', bytes }, { statsTopCount: topCount });
      expect(read.summaries.size, `case ${k}`).toBeGreaterThan(0);
      expect(columnStats(read.table, read.types, topCount, read.summaries), `case ${k}`).toEqual(columnStats(read.table, read.types, topCount));
    }
  });

  it('uses a summary made while reading only for the very values it summarised', async () => {
    const bytes = new TextEncoder().encode('a\n1\n2\n2\n');
    const read = await readTable({ name: 'file.csv', bytes }, { statsTopCount: 5 });
    const known = read.summaries.get('a')!;
    expect(known.summary).toMatchObject({ count: 3, distinct: 2, top: [{ value: '2', count: 2 }, { value: '1', count: 1 }] });
    const other = await readTable({ name: 'file.csv', bytes: new TextEncoder().encode('a\n5\n') });
    expect(columnStats(other.table, other.types, 5, read.summaries)[0]).toMatchObject({ count: 1, min: 5, max: 5 });
  });
});
