import { describe, expect, it } from 'vitest';
import { columnValues } from '../../src/data/columns.ts';
import { byteText, decodeBytes, headText, isBlankText, type EncodingChoice } from '../../src/data/encoding.ts';
import { readTable, type ReadOptions, type ReadResult } from '../../src/data/read.ts';
import { createRng, type Rng } from '../../src/ml/random.ts';

/** A read as plain data: types, notes, format and every cell (dates as ISO text), for deep comparison. */
function snapshot(result: ReadResult): unknown {
  const names = result.table.columnNames();
  return {
    names,
    types: { ...result.types },
    format: result.format,
    encoding: result.encoding,
    delimiter: result.delimiter,
    notes: result.notes,
    columns: names.map((name) => Array.from(columnValues(result.table, name), (v) => (v instanceof Date ? `D${v.toISOString()}` : v))),
  };
}

/** The read of the bytes path and of the whole-string path, or the message each failed with. */
async function both(name: string, bytes: Uint8Array, options: Partial<ReadOptions> = {}): Promise<{ bytes: unknown; string: unknown }> {
  const run = async (fromBytes: boolean) => {
    try {
      return snapshot(await readTable({ name, bytes }, { ...options, fromBytes }));
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  };
  return { bytes: await run(true), string: await run(false) };
}

const cellPieces = ['a', 'abc', '1', '-2.5', '17850.0', '1e3', '0123', '1e309', 'Infinity', 'NA', 'n/a', '-', '?', 'null', '', ' ', ' 7 ', 'true', 'FALSE', 'yes', '2020-01-02', '2011-12-09 12:50:00', '03/04/2021', '13/04/2021', '04/13/2021', '31/02/2020', 'é', 'café', '中文', '😀', '\uFEFF', 'x\u00a0y', 'C536379', '12345678901234567'];
const rawPieces = [',', ';', '\t', '|', '"', '""', '\n', '\r\n', '\r', ' ', 'é', '中', '😀', 'a', '1', '2.5', 'NA', '\uFEFF'];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** A table-like CSV: a header, rows of random cells (some quoted, some with quotes, line breaks or delimiters inside), ragged rows and blank lines now and then. */
function tableCsv(rng: Rng): string {
  const delimiter = pick(rng, [',', ';', '\t', '|']);
  const width = 1 + rng.int(5);
  const eol = pick(rng, ['\n', '\r\n', '\r']);
  const lines: string[] = [];
  const header = Array.from({ length: width }, (_, c) => (rng.int(8) === 0 ? '' : rng.int(10) === 0 ? 'dup' : `col${c}`));
  lines.push(header.join(delimiter));
  const type = Array.from({ length: width }, () => rng.int(4));
  const rows = rng.int(30);
  for (let r = 0; r < rows; r++) {
    if (rng.int(15) === 0) {
      lines.push('');
      continue;
    }
    const n = rng.int(12) === 0 ? Math.max(0, width + rng.int(3) - 1) : width;
    const cells = Array.from({ length: n }, (_, c) => {
      // Columns lean to one kind, so numeric, date and boolean columns occur and are spoilt now and then.
      const kind = type[c] ?? 0;
      let cell = rng.int(6) === 0 ? pick(rng, cellPieces) : kind === 0 ? String(rng.int(1000) - 200) : kind === 1 ? (rng.next() * 100).toFixed(2) : kind === 2 ? pick(rng, ['2020-01-02', '2021-03-04 10:00', '05/06/2020', '']) : pick(rng, cellPieces);
      if (rng.int(10) === 0) cell += pick(rng, ['"', delimiter, '\n', 'é']);
      const quote = rng.int(6) === 0 || cell.includes(delimiter) || cell.includes('\n') || cell.includes('"');
      return quote ? `"${cell.replaceAll('"', '""')}"${rng.int(20) === 0 ? 'tail' : ''}` : cell;
    });
    lines.push(cells.join(delimiter));
  }
  return lines.join(eol) + (rng.int(2) === 0 ? eol : '');
}

/** Any sequence of delimiters, quotes, line breaks and characters: unbalanced quotes, stray BOMs, empty everything. */
function rawCsv(rng: Rng): string {
  return Array.from({ length: rng.int(60) }, () => pick(rng, rawPieces)).join('');
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const bom = (bytes: Uint8Array) => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);

describe('the byte tokenizer against the whole-string path', () => {
  it('gives identical tables, types and notes on 400 seeded table-like CSVs (quotes, line breaks in fields, ragged rows, markers, dates, multi-byte text), with and without a BOM', async () => {
    const rng = createRng(20);
    for (let k = 0; k < 400; k++) {
      const text = tableCsv(rng);
      const bytes = k % 4 === 3 ? bom(utf8(text)) : utf8(text);
      const result = await both(k % 5 === 0 ? 'file.tsv' : 'file.csv', bytes, { header: k % 7 !== 0, dateOrder: k % 9 === 0 ? 'month-first' : 'auto' });
      expect(result.bytes, `case ${k}: ${JSON.stringify(text)}`).toEqual(result.string);
    }
  });

  it('gives identical results on 400 seeded raw sequences of delimiters, quotes and line breaks, errors included', async () => {
    const rng = createRng(21);
    for (let k = 0; k < 400; k++) {
      const text = rawCsv(rng);
      const result = await both(k % 2 === 0 ? 'raw.csv' : 'raw', k % 3 === 0 ? bom(utf8(text)) : utf8(text));
      expect(result.bytes, `case ${k}: ${JSON.stringify(text)}`).toEqual(result.string);
    }
  });

  it('gives identical results with forced types, a chosen delimiter and a chosen encoding', async () => {
    const rng = createRng(22);
    for (let k = 0; k < 150; k++) {
      const text = tableCsv(rng);
      const types = { col0: pick(rng, ['integer', 'number', 'date', 'boolean', 'text'] as const), col1: pick(rng, ['number', 'boolean', 'date'] as const), absent: 'number' as const };
      const encoding: EncodingChoice = k % 2 === 0 ? 'utf-8' : 'auto';
      const result = await both('forced.csv', utf8(text), { types, encoding, delimiter: pick(rng, ['auto', ',', ';'] as const) });
      expect(result.bytes, `case ${k}: ${JSON.stringify(text)}`).toEqual(result.string);
    }
  });

  it('reads Windows-1252 bytes as that encoding decodes them, when it is chosen', async () => {
    // é = 0xE9, € = 0x80, NBSP = 0xA0: single bytes that are not UTF-8.
    const bytes = Uint8Array.from([...utf8('name,price\ncaf'), 0xe9, ...utf8(',1.5\n'), 0x80, ...utf8(',2\n"a'), 0xa0, ...utf8('b",NA\n')]);
    const result = await both('latin.csv', bytes, { encoding: 'windows-1252' });
    expect(result.bytes).toEqual(result.string);
    // Node's TextDecoder may map 0x80 as Latin-1 does; both paths use the platform's decoder.
    const euro = new TextDecoder('windows-1252').decode(Uint8Array.of(0x80));
    expect(result.bytes).toMatchObject({ encoding: 'windows-1252', columns: [['café', euro, 'a\u00a0b'], [1.5, 2, null]] });
  });

  it('counts replacement characters of invalid UTF-8 under a chosen "utf-8" as the whole decode does, literal U+FFFD included', async () => {
    const bytes = Uint8Array.from([...utf8('a,b,c\n1,x'), 0xd6, 0xd0, ...utf8(',\uFFFD\n2,'), 0xe4, 0xb8, ...utf8('\n')]);
    const result = await both('bad.csv', bytes, { encoding: 'utf-8' });
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ notes: [{ code: 'replacedBytes', values: { count: 4 } }, { code: 'shortRows' }] });
  });

  it('sends text that is not UTF-8 under "auto" to the string path (GB18030 or Windows-1252 guessed), with the same result', async () => {
    const gbk = Uint8Array.from([...utf8('city,n\n'), 0xd6, 0xd0, 0xce, 0xc4, ...utf8(',3\n')]);
    expect(byteText(gbk)).toBeNull();
    const result = await both('gbk.csv', gbk);
    expect(result.bytes).toEqual(result.string);
    expect(result.bytes).toMatchObject({ encoding: 'gb18030', columns: [['中文'], [3]] });
  });

  it('refuses white space only as empty, also when it holds non-ASCII spaces, and reads JSON-looking text as JSON', async () => {
    for (const text of ['  \n\r\n\t ', '\u00a0\u2003 \n', '\uFEFF\uFEFF']) {
      const result = await both('blank.csv', utf8(text));
      expect(result.bytes).toEqual(result.string);
      expect(result.bytes).toEqual({ error: 'The file "blank.csv" is empty.' });
    }
    const json = await both('data', utf8(' [{"a":1},{"a":2}]'));
    expect(json.bytes).toEqual(json.string);
    expect(json.bytes).toMatchObject({ format: 'json', columns: [[1, 2]] });
  });
});

describe('decoding in pieces', () => {
  const samples = ['plain,ascii\n1,2\n', 'é,中文,😀\n"x\ny",ü\n', '\uFEFFa,b\n', 'x'.repeat(50) + '中'.repeat(20)];
  it('finds the same encoding and replacement count as the whole decode with pieces of 1 to 7 bytes (characters split across pieces)', () => {
    for (const sample of samples) {
      const valid = utf8(sample);
      const broken = Uint8Array.from([...valid.subarray(0, 5), 0xe4, 0xb8, ...valid.subarray(5), 0xf0, 0x9f]);
      for (const bytes of [valid, broken]) {
        for (const choice of ['auto', 'utf-8'] as const) {
          const whole = decodeBytes(bytes, choice);
          for (let piece = 1; piece <= 7; piece++) {
            const read = byteText(bytes, choice, piece);
            if (whole.encoding !== 'utf-8' || whole.guessed) {
              expect(read, `${JSON.stringify(sample)} ${choice} ${piece}`).toBeNull();
              continue;
            }
            expect(read, `${JSON.stringify(sample)} ${choice} ${piece}`).toMatchObject({ encoding: 'utf-8', offset: whole.bom ? 3 : 0, replaced: whole.replaced });
            expect(read!.decode(bytes.subarray(read!.offset))).toBe(whole.text);
            expect(isBlankText(bytes, read!, piece)).toBe(whole.text.trim() === '');
          }
        }
      }
    }
  });

  it('takes a head of at least the characters asked for, never cutting a character in two', () => {
    const text = 'é中😀,'.repeat(1000);
    const bytes = utf8(text);
    const read = byteText(bytes)!;
    for (const chars of [1, 2, 3, 10, 100, 1000]) {
      const head = headText(bytes, read, chars);
      expect(head.length).toBeGreaterThanOrEqual(chars);
      expect(text.startsWith(head)).toBe(true);
    }
    expect(headText(bytes, read, 1e6)).toBe(text);
  });
});
