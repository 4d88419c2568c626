import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { table as aqTable, toArrowIPC } from 'arquero';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { columnValues } from '../../src/data/columns.ts';
import { readTable, type ReadResult } from '../../src/data/read.ts';
import { columnStats } from '../../src/data/stats.ts';
import { releaseBuffers } from '../../src/cli/node-host.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'data');
const fixture = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(join(fixtures, name))) });
const utf8 = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });
const values = (result: ReadResult, column: string): unknown[] => Array.from(columnValues(result.table, column));
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('readTable on delimited text', () => {
  it('reads a ;-separated UTF-8 file with a BOM, CRLF line ends and quoted fields', async () => {
    const result = await readTable(fixture('semicolon-crlf.csv'));
    expect(result.format).toBe('csv');
    expect(result.delimiter).toBe(';');
    expect(result.encoding).toBe('utf-8');
    expect(result.table.columnNames()).toEqual(['id', 'name', 'city', 'amount', 'visited']);
    expect(result.types).toEqual({ id: 'integer', name: 'text', city: 'text', amount: 'number', visited: 'date' });
    expect(values(result, 'id')).toEqual([1, 2, 3, 4]);
    expect(values(result, 'name')).toEqual(['Dupont; Marie', 'O"Brien', 'Müller', 'Ng']);
    expect(values(result, 'city')).toEqual(['Paris', 'Saint-Étienne', 'Köln\r\nInnenstadt', 'Lyon']);
    expect(values(result, 'amount')).toEqual([12.5, 7, null, 1000.25]);
    expect(values(result, 'visited')).toEqual([day('2011-03-04'), day('2011-03-05'), day('2011-03-06'), null]);
    expect(result.notes).toEqual([]);
  });

  it('reads runs of one date or text cell (an invoice on several lines) as it reads each cell alone, from bytes and from a string', async () => {
    const text = [
      'when,d,bad,word,quoted',
      '2011-01-02 08:00:00,03/14/2011,2020-02-30,a,"x"',
      '2011-01-02 08:00:00,03/14/2011,2020-02-30,a,"x"',
      '2011-01-02 08:01:00,03/04/2011,2020-02-30,ab,"x,y"',
      ',03/04/2011,2020-02-29,ab,"x,y"',
      '2011-01-02 08:01:00,03/04/2011,2020-02-29,a,"x""y"',
      '2011-01-02 08:01:00,,2020-02-29,a,"x""y"',
    ].join('\n');
    for (const fromBytes of [true, false]) {
      const result = await readTable(utf8('runs.csv', text), { fromBytes });
      expect(result.types).toEqual({ when: 'date', d: 'date', bad: 'text', word: 'text', quoted: 'text' });
      const at = (iso: string) => new Date(`${iso}Z`);
      expect(values(result, 'when')).toEqual([at('2011-01-02T08:00:00'), at('2011-01-02T08:00:00'), at('2011-01-02T08:01:00'), null, at('2011-01-02T08:01:00'), at('2011-01-02T08:01:00')]);
      expect(values(result, 'd')).toEqual([day('2011-03-14'), day('2011-03-14'), day('2011-03-04'), day('2011-03-04'), day('2011-03-04'), null]);
      // 30 February read again and again is still no date: the column stays text.
      expect(values(result, 'bad')).toEqual(['2020-02-30', '2020-02-30', '2020-02-30', '2020-02-29', '2020-02-29', '2020-02-29']);
      expect(values(result, 'word')).toEqual(['a', 'a', 'ab', 'ab', 'a', 'a']);
      expect(values(result, 'quoted')).toEqual(['x', 'x', 'x,y', 'x,y', 'x"y', 'x"y']);
    }
  });

  it('detects a GBK/GB18030 file (Chinese Excel export) and reads its Chinese names and values', async () => {
    const result = await readTable(fixture('gbk.csv'));
    expect(result.encoding).toBe('gb18030');
    expect(result.notes).toEqual([{ code: 'guessedEncoding', values: { name: 'gbk.csv', encoding: 'gb18030' } }]);
    expect(result.table.columnNames()).toEqual(['客户编号', '姓名', '城市', '消费金额', '日期']);
    expect(result.types).toEqual({ 客户编号: 'integer', 姓名: 'text', 城市: 'text', 消费金额: 'number', 日期: 'date' });
    expect(values(result, '姓名')).toEqual(['张三', '李四', '王五', '赵六', 'Zoë']);
    expect(values(result, '城市')).toEqual(['北京', '上海', '广州', '深圳', '香港']);
    expect(values(result, '消费金额')).toEqual([128.5, 99, null, 300.75, 42]);
    const chosen = await readTable(fixture('gbk.csv'), { encoding: 'gb18030' });
    expect(chosen.notes).toEqual([]);
    expect(values(chosen, '姓名')).toEqual(values(result, '姓名'));
  });

  it('reads Windows-1252 text that is neither UTF-8 nor GB18030', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('name,n\ncaf'), 0xe9, ...new TextEncoder().encode(',1\n')]);
    const result = await readTable({ name: 'latin.csv', bytes });
    expect(result.encoding).toBe('windows-1252');
    expect(values(result, 'name')).toEqual(['café']);
  });

  it('sniffs tab and pipe delimiters and takes tab for a .tsv name', async () => {
    expect((await readTable(utf8('a.txt', 'x\ty\n1\t2\n3\t4\n'))).delimiter).toBe('\t');
    expect((await readTable(utf8('a.txt', 'x|y\n1|2\n'))).delimiter).toBe('|');
    const tsv = await readTable(utf8('a.tsv', 'x,y\tz\n1,5\t2\n'));
    expect(tsv.format).toBe('tsv');
    expect(tsv.table.columnNames()).toEqual(['x,y', 'z']);
  });

  it('keeps the header delimiter count over decimal commas in the data', async () => {
    const result = await readTable(utf8('eu.csv', 'name;price;qty\nA;1,5;2\nB;2,25;3\n'));
    expect(result.delimiter).toBe(';');
    expect(values(result, 'price')).toEqual(['1,5', '2,25']);
  });

  it('counts ragged rows, skips blank lines and renames blank or repeated headers', async () => {
    const result = await readTable(utf8('r.csv', 'a,,a\n1,2,3\n\n4,5\n6,7,8,9\n'));
    expect(result.table.columnNames()).toEqual(['a', 'column_2', 'a_2']);
    expect(result.table.numRows()).toBe(3);
    expect(values(result, 'a_2')).toEqual([3, null, 8]);
    expect(result.notes).toEqual([
      { code: 'longRows', values: { name: 'r.csv', count: 1, width: 3, row: 3 } },
      { code: 'shortRows', values: { name: 'r.csv', count: 1, width: 3 } },
      { code: 'renamedHeaders', values: { name: 'r.csv', count: 2 } },
    ]);
  });

  it('names columns col1, col2 when the file has no header row', async () => {
    const result = await readTable(utf8('h.csv', '1,x\n2,y\n'), { header: false });
    expect(result.table.columnNames()).toEqual(['col1', 'col2']);
    expect(values(result, 'col1')).toEqual([1, 2]);
  });

  it('refuses an empty file and a file over the size cap with messages naming them', async () => {
    await expect(readTable(utf8('e.csv', ''))).rejects.toThrow('The file "e.csv" is empty.');
    await expect(readTable(utf8('e.csv', ' \n\n'))).rejects.toThrow('The file "e.csv" is empty.');
    const big = { name: 'big.csv', bytes: new Uint8Array(3 * 1024 * 1024) };
    await expect(readTable(big, { maxBytes: 2 * 1024 * 1024 })).rejects.toThrow('The file "big.csv" is 3 MB, over the 2 MB cap in parameter "maxMegabytes"');
  });
});

describe('type inference', () => {
  it('reads every cell: a text value after 1,500 numbers makes the column text (a 1,000-value sample would miss it)', async () => {
    const lines = ['invoice,qty'];
    for (let i = 0; i < 1500; i++) lines.push(`${536000 + i},${i}`);
    lines.push('C537000,-1');
    const result = await readTable(utf8('t.csv', lines.join('\n')));
    expect(result.types).toEqual({ invoice: 'text', qty: 'integer' });
    expect(values(result, 'invoice')[0]).toBe('536000');
    expect(values(result, 'invoice')[1500]).toBe('C537000');
  });

  it('tells integers, numbers, booleans, dates and text apart and keeps zero-padded ids as text', async () => {
    const result = await readTable(utf8('t.csv', 'i,n,b,d,t,z\n1,1.5,true,2011-01-02 10:00:00,x,007\n17850.0,2,FALSE,2011-01-03 11:30:00,y,010\n'));
    expect(result.types).toEqual({ i: 'integer', n: 'number', b: 'boolean', d: 'date', t: 'text', z: 'text' });
    expect(values(result, 'i')).toEqual([1, 17850]);
    expect(values(result, 'b')).toEqual([true, false]);
    expect(values(result, 'd')).toEqual([new Date('2011-01-02T10:00:00Z'), new Date('2011-01-03T11:30:00Z')]);
    expect(values(result, 'z')).toEqual(['007', '010']);
    expect(columnValues(result.table, 'n')).toBeInstanceOf(Float64Array);
  });

  it('reads blank cells and missing markers in a typed column as missing and says how many', async () => {
    const result = await readTable(utf8('m.csv', 'x,y\n1, \n2,NA\n3,4.5\n4,\n'));
    expect(values(result, 'y')).toEqual([null, null, 4.5, null]);
    expect(result.notes).toEqual([{ code: 'markersAsMissing', values: { column: 'y', count: 2, example: ' ' } }]);
  });

  it('decides the order of A/B/YYYY dates from the data, and says when it cannot', async () => {
    const dayFirst = await readTable(utf8('d.csv', 'd\n01/02/2011 08:26\n13/02/2011 09:00\n'));
    expect(values(dayFirst, 'd')).toEqual([new Date('2011-02-01T08:26:00Z'), new Date('2011-02-13T09:00:00Z')]);
    expect(dayFirst.notes).toEqual([]);
    const monthFirst = await readTable(utf8('d.csv', 'd\n12/1/2010 8:26\n12/13/2010 9:00\n'));
    expect(values(monthFirst, 'd')).toEqual([new Date('2010-12-01T08:26:00Z'), new Date('2010-12-13T09:00:00Z')]);
    const ambiguous = await readTable(utf8('d.csv', 'd\n01/02/2011\n03/04/2011\n'));
    expect(values(ambiguous, 'd')).toEqual([day('2011-02-01'), day('2011-04-03')]);
    expect(ambiguous.notes).toEqual([{ code: 'ambiguousDates', values: { column: 'd' } }]);
    const chosen = await readTable(utf8('d.csv', 'd\n01/02/2011\n03/04/2011\n'), { dateOrder: 'month-first' });
    expect(values(chosen, 'd')).toEqual([day('2011-01-02'), day('2011-03-04')]);
    expect(chosen.notes).toEqual([]);
    const conflict = await readTable(utf8('d.csv', 'd\n13/02/2011\n02/13/2011\n'));
    expect(conflict.types).toEqual({ d: 'text' });
    expect(conflict.notes).toEqual([{ code: 'conflictingDates', values: { column: 'd' } }]);
  });

  it('applies a chosen type and counts the cells that do not fit it', async () => {
    const result = await readTable(utf8('o.csv', 'id,flag,n\n007,Yes,1\n010,No,2.5\nx,maybe,3\n'), { types: { id: 'integer', flag: 'boolean', n: 'text', gone: 'date' } });
    expect(result.types).toEqual({ id: 'integer', flag: 'boolean', n: 'text' });
    expect(values(result, 'id')).toEqual([7, 10, null]);
    expect(values(result, 'flag')).toEqual([true, false, null]);
    expect(values(result, 'n')).toEqual(['1', '2.5', '3']);
    expect(result.notes).toEqual([
      { code: 'unreadable', values: { column: 'id', count: 1, example: 'x', type: 'integer' } },
      { code: 'unreadable', values: { column: 'flag', count: 1, example: 'maybe', type: 'boolean' } },
      { code: 'typeForMissingColumn', values: { column: 'gone' } },
    ]);
  });
});

describe('readTable on JSON, NDJSON, Arrow and Parquet', () => {
  it('reads a JSON array of records: keys in first-seen order, absent keys missing, nested values as JSON text', async () => {
    const result = await readTable(utf8('r.json', '[{"id": 1, "when": "2011-12-09T12:50:00Z", "tags": ["a"]}, {"id": 2.5, "extra": true}, null]'));
    expect(result.format).toBe('json');
    expect(result.table.columnNames()).toEqual(['id', 'when', 'tags', 'extra']);
    expect(result.types).toEqual({ id: 'number', when: 'date', tags: 'text', extra: 'boolean' });
    expect(values(result, 'id')).toEqual([1, 2.5]);
    expect(values(result, 'when')).toEqual([new Date('2011-12-09T12:50:00Z'), null]);
    expect(values(result, 'tags')).toEqual(['["a"]', null]);
  });

  it('refuses JSON that is not an array of records, and malformed JSON, with the reason', async () => {
    await expect(readTable(utf8('o.json', '{"a": 1,\n "b": 2}'))).rejects.toThrow('The JSON in "o.json" must be an array of records (objects); found JSON of type "object".');
    await expect(readTable(utf8('n.json', '[1, 2]'))).rejects.toThrow('found JSON of type "array of number"');
    await expect(readTable(utf8('b.json', '[{"a": 1'))).rejects.toThrow('The file "b.json" is not valid JSON');
  });

  it('reads NDJSON (one object a line) and names the line of a bad one', async () => {
    const result = await readTable(utf8('r.ndjson', '{"a": 1, "b": "x"}\n\n{"a": 2}\r\n'));
    expect(result.format).toBe('ndjson');
    expect(values(result, 'a')).toEqual([1, 2]);
    expect(values(result, 'b')).toEqual(['x', null]);
    const sniffed = await readTable(utf8('r.txt', '{"a": 1}\n{"a": 2}\n'));
    expect(sniffed.format).toBe('ndjson');
    await expect(readTable(utf8('r.ndjson', '{"a": 1}\n[2]\n'))).rejects.toThrow('Line 2 of "r.ndjson" is not a JSON object: "it is JSON of type array"');
  });

  it('reads Arrow IPC bytes written by Arquero, with dates, numbers, text and nulls', async () => {
    const source = aqTable({ id: [1, 2, 3], amount: [1.5, null, 3.25], name: ['a', null, 'c'], when: [day('2011-01-01'), day('2011-01-02'), null] });
    const result = await readTable({ name: 'x.arrow', bytes: toArrowIPC(source) });
    expect(result.format).toBe('arrow');
    expect(result.types).toEqual({ id: 'integer', amount: 'number', name: 'text', when: 'date' });
    expect(values(result, 'amount')).toEqual([1.5, null, 3.25]);
    expect(values(result, 'name')).toEqual(['a', null, 'c']);
    expect(values(result, 'when')).toEqual([day('2011-01-01'), day('2011-01-02'), null]);
  });

  it('reads Parquet written by hyparquet-writer (detected by its magic bytes), with int64, doubles, text and nulls', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'customer', data: [12583n, 17850n, 12583n], type: 'INT64' },
        { name: 'amount', data: [3.75, null, 2.5], type: 'DOUBLE' },
        { name: 'country', data: ['France', 'United Kingdom', null], type: 'STRING' },
        { name: 'flag', data: [true, false, true], type: 'BOOLEAN' },
      ],
    });
    const result = await readTable({ name: 'data.bin', bytes: new Uint8Array(buffer) });
    expect(result.format).toBe('parquet');
    expect(result.types).toEqual({ customer: 'integer', amount: 'number', country: 'text', flag: 'boolean' });
    expect(values(result, 'customer')).toEqual([12583, 17850, 12583]);
    expect(values(result, 'amount')).toEqual([3.75, null, 2.5]);
    expect(values(result, 'country')).toEqual(['France', 'United Kingdom', null]);
    expect(values(result, 'flag')).toEqual([true, false, true]);
  });

  it('says when bytes named .parquet are not Parquet', async () => {
    await expect(readTable(utf8('broken.parquet', 'not parquet at all'))).rejects.toThrow('The file "broken.parquet" could not be read as Parquet');
  });
});

describe('hostile and broken input', () => {
  const prototypeHeader = 'constructor,__proto__,toString,valueOf,hasOwnProperty,__defineGetter__';

  it('reads CSV columns named after Object.prototype properties, renaming only "__proto__", with their types chosen by name', async () => {
    const result = await readTable(utf8('proto.csv', `${prototypeHeader}\n1,2,3,x,5,6\n7,8,9,y,11,12\n`), { types: Object.fromEntries([['constructor', 'text'], ['__proto__', 'text']]) });
    expect(result.table.columnNames()).toEqual(['constructor', '__proto___2', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']);
    expect(values(result, 'constructor')).toEqual(['1', '7']);
    expect(values(result, '__proto___2')).toEqual([2, 8]);
    expect(values(result, 'valueOf')).toEqual(['x', 'y']);
    expect(Object.entries(result.types)).toEqual([['constructor', 'text'], ['__proto___2', 'integer'], ['toString', 'integer'], ['valueOf', 'text'], ['hasOwnProperty', 'integer'], ['__defineGetter__', 'integer']]);
    expect(result.notes).toEqual([
      { code: 'renamedHeaders', values: { name: 'proto.csv', count: 1 } },
      { code: 'typeForMissingColumn', values: { column: '__proto__' } },
    ]);
  });

  it('reads JSON and NDJSON records keyed by Object.prototype names', async () => {
    const json = await readTable(utf8('proto.json', '[{"constructor": 1, "__proto__": 2, "toString": "a"}, {"constructor": 3, "__proto__": 4, "toString": "b"}]'));
    expect(json.table.columnNames()).toEqual(['constructor', '__proto___2', 'toString']);
    expect(values(json, 'constructor')).toEqual([1, 3]);
    expect(values(json, '__proto___2')).toEqual([2, 4]);
    const ndjson = await readTable(utf8('proto.ndjson', '{"valueOf": 1, "hasOwnProperty": "x"}\n{"valueOf": 2, "hasOwnProperty": "y"}\n'));
    expect(ndjson.table.columnNames()).toEqual(['valueOf', 'hasOwnProperty']);
    expect(values(ndjson, 'hasOwnProperty')).toEqual(['x', 'y']);
  });

  it('reads 1e309, Infinity and -inf in an integer column as missing, with a warning, and keeps the column integer', async () => {
    const result = await readTable(utf8('inf.csv', 'n,m\n1,1.5\n1e309,Infinity\n3,-inf\n2,2\n'));
    expect(result.types).toEqual({ n: 'integer', m: 'number' });
    expect(values(result, 'n')).toEqual([1, null, 3, 2]);
    expect(values(result, 'm')).toEqual([1.5, null, null, 2]);
    expect(result.notes).toEqual([
      { code: 'nonFinite', values: { column: 'n', count: 1, example: '1e309' } },
      { code: 'nonFinite', values: { column: 'm', count: 2, example: 'Infinity' } },
    ]);
    const json = await readTable(utf8('inf.json', '[{"n": 1}, {"n": 1e999}, {"n": 2}]'));
    expect(json.types).toEqual({ n: 'integer' });
    expect(values(json, 'n')).toEqual([1, null, 2]);
    expect(json.notes).toEqual([{ code: 'nonFinite', values: { column: 'n', count: 1, example: 'Infinity' } }]);
  });

  it('keeps a column of words as text even when one word is "Infinity"', async () => {
    const result = await readTable(utf8('words.csv', 'w\nInfinity\nbeyond\n'));
    expect(result.types).toEqual({ w: 'text' });
    expect(values(result, 'w')).toEqual(['Infinity', 'beyond']);
  });

  it('refuses JSON and NDJSON nested deeper than 64 levels, naming the line, without exhausting the stack', async () => {
    const deep = `[{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}]`;
    await expect(readTable(utf8('deep.json', deep))).rejects.toThrow('The JSON in "deep.json" nests deeper than 64 levels (line 1)');
    const lines = `{"a": 1}\n{"a": ${'{"b": '.repeat(70)}1${'}'.repeat(70)}}\n`;
    await expect(readTable(utf8('deep.ndjson', lines))).rejects.toThrow('nests deeper than 64 levels (line 2)');
    const fine = await readTable(utf8('ok.json', `[{"a": ${'['.repeat(60)}1${']'.repeat(60)}, "b": "[[[["}]`));
    expect(fine.table.numRows()).toBe(1);
  });

  const binary: { name: string; bytes: number[]; reason: string }[] = [
    { name: 'random.bin', bytes: [0x13, 0x00, 0xfe, 0x41, 0x02], reason: 'a NUL byte at offset 1' },
    { name: 'data.csv.gz', bytes: [0x1f, 0x8b, 0x08, 0x00, 0x00], reason: 'gzip archive' },
    { name: 'book.xlsx', bytes: [0x50, 0x4b, 0x03, 0x04, 0x14], reason: 'ZIP archive' },
    { name: 'image.csv', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], reason: 'PNG image' },
    { name: 'fake.csv', bytes: [...new TextEncoder().encode('PAR1'), 1, 2, 3, 4], reason: 'starts like Parquet but is not valid Parquet' },
    { name: 'fake.dat', bytes: [...new TextEncoder().encode('ARROW1'), 0, 0, 1, 2], reason: 'starts like Arrow IPC but is not valid Arrow IPC' },
    { name: 'utf16.csv', bytes: [0xff, 0xfe, 0x61, 0x00], reason: 'UTF-16 text' },
  ];
  it.each(binary)('refuses $name as not a text table ($reason), in one short line', async ({ name, bytes, reason }) => {
    const error = await readTable({ name, bytes: Uint8Array.from(bytes) }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message).toContain(`The file "${name}" is not a text table`);
    expect(message).toContain(reason.slice(0, 40));
    expect(message.length).toBeLessThan(220);
    expect(message).not.toMatch(/\n/);
  });

  it('refuses JSON over the string limit with the figure, before decoding it (delimited UTF-8 text has no such limit: it is read from its bytes)', async () => {
    // A view claiming 600 MB would need the memory; a subclass reports the length without it.
    const bytes = new Uint8Array(16);
    Object.defineProperty(bytes, 'length', { value: 600 * 1048576 });
    await expect(readTable({ name: 'huge.json', bytes }, { maxBytes: 4096 * 1048576 })).rejects.toThrow('The file "huge.json" is 600 MB of text; text over 512 MB cannot be read in one piece');
  });
});

describe('readTable: freeing the file’s bytes', () => {
  const encoder = new TextEncoder();
  /** A file whose release overwrites its bytes (as freed memory would read) and counts the calls. */
  const overwrittenOnRelease = (name: string, text: string | Uint8Array): { file: { name: string; bytes: Uint8Array; release: () => Promise<void> }; calls: () => number } => {
    const bytes = typeof text === 'string' ? encoder.encode(text) : text;
    let calls = 0;
    return { file: { name, bytes, release: async () => void (calls++, bytes.fill(0x3f)) }, calls: () => calls };
  };
  // A number column that turns to text (its first rows read again), non-ASCII text, a forced type (its cells kept as offsets), dates, a quoted field.
  const csv = 'id,code,name,when,amount\n1,100,Müller,2024-01-02,7\n2,101,"O""Brien, Ann",2024-01-03,8\n3,C102,Ng,2024-01-03,\n4,103,Müller,2024-02-01,9\n';

  it('frees a CSV file’s bytes once read, and nothing of the table is read from them afterwards', async () => {
    const options = { types: { amount: 'number' as const }, statsTopCount: 10 };
    const kept = await readTable({ name: 'a.csv', bytes: encoder.encode(csv) }, options);
    const released = overwrittenOnRelease('a.csv', csv);
    const result = await readTable(released.file, options);
    expect(released.calls()).toBeGreaterThanOrEqual(1);
    expect(result.types).toEqual(kept.types);
    for (const column of ['id', 'code', 'name', 'when', 'amount']) expect(values(result, column)).toEqual(values(kept, column));
    expect(values(result, 'code')).toEqual(['100', '101', 'C102', '103']);
    expect(values(result, 'name')).toEqual(['Müller', 'O"Brien, Ann', 'Ng', 'Müller']);
    expect(result.summaries).toEqual(kept.summaries);
  });

  it('hands a CSV read’s spent arrays (codes, instants, numbers with gaps) to freeBuffers, and the table reads nothing of them once they are freed', async () => {
    const options = { types: { amount: 'number' as const }, statsTopCount: 10 };
    // Rows enough that the typed walk's arrays are its own (not views of one small shared buffer).
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i === 2 ? 'C102' : 100 + i},${['Müller', 'Ng', 'Li'][i % 3]},2024-01-0${1 + (i % 9)},${i % 5 === 0 ? '' : i}`);
    const text = `id,code,name,when,amount\n${rows.join('\n')}\n`;
    const kept = await readTable({ name: 'a.csv', bytes: encoder.encode(text) }, options);
    const handed: ArrayBuffer[] = [];
    const file = { name: 'a.csv', bytes: encoder.encode(text), freeBuffers: async (buffers: ArrayBuffer[]) => void handed.push(...buffers) };
    const result = await readTable(file, options);
    // code's and name's text codes, when's instants, amount's numbers (it has gaps): each column that is not its own walk array.
    expect(handed.length).toBeGreaterThanOrEqual(4);
    // Freed as the CLI frees them (detached: every view reads as empty), the table and its summaries are whole.
    await releaseBuffers(handed);
    expect(handed.every((buffer) => buffer.byteLength === 0)).toBe(true);
    expect(result.types).toEqual(kept.types);
    for (const column of ['id', 'code', 'name', 'when', 'amount']) expect(values(result, column)).toEqual(values(kept, column));
    expect(result.summaries).toEqual(kept.summaries);
    expect(columnStats(result.table, result.types, 10, result.summaries)).toEqual(columnStats(kept.table, kept.types, 10));
  });

  it('frees a JSON file’s bytes after reading it, and a failed read’s', async () => {
    const json = overwrittenOnRelease('a.json', '[{"a":1,"b":"x"},{"a":2,"b":"y"}]');
    const result = await readTable(json.file);
    expect(json.calls()).toBe(1);
    expect(values(result, 'b')).toEqual(['x', 'y']);
    const bad = overwrittenOnRelease('bad.json', '[{"a":1},');
    await expect(readTable(bad.file)).rejects.toThrow('is not valid JSON');
    expect(bad.calls()).toBe(1);
  });

  it('keeps a Parquet file’s bytes, whose columns may be views of them', async () => {
    const parquet = overwrittenOnRelease('a.parquet', new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'amount', data: [1.5, 2.5], type: 'DOUBLE' }] })));
    const result = await readTable(parquet.file);
    expect(parquet.calls()).toBe(0);
    expect(values(result, 'amount')).toEqual([1.5, 2.5]);
  });
});
