import { describe, expect, it } from 'vitest';
import { BasketLineReader, readBasketLines } from '../../src/data/baskets.ts';
import { eachLine, ndjsonColumns, readBasketBytes, readNdjsonBytes } from '../../src/data/line-readers.ts';
import { readTable, type ReadResult } from '../../src/data/read.ts';
import { maxTextBytes, oneStringOver } from '../../src/data/text-limit.ts';
import { columnValues } from '../../src/data/columns.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const values = (result: ReadResult, column: string): unknown[] => Array.from(columnValues(result.table, column));

describe('eachLine', () => {
  it('gives every line whole, whatever the pieces, without "\\n" or "\\r\\n", numbered from 1', () => {
    const text = 'ab\r\ncd\n\nlast';
    const whole: [string, number][] = [];
    eachLine('t', [text], (line, n) => whole.push([line, n]));
    expect(whole).toEqual([
      ['ab', 1],
      ['cd', 2],
      ['', 3],
      ['last', 4],
    ]);
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2++) {
        const got: [string, number][] = [];
        eachLine('t', [text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)], (line, n) => got.push([line, n]));
        expect(got).toEqual(whole);
      }
    }
  });

  it('limits one line, not the file: 1,000 lines of 20 characters read under a 64-character limit, and a 65-character line is refused with its number', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(15, '0')}`);
    let count = 0;
    eachLine('big.ndjson', [lines.join('\n')], () => count++, { maxLineChars: 64 });
    expect(count).toBe(1000);
    const long = [...lines.slice(0, 4), 'x'.repeat(65), 'y'].join('\n');
    // In pieces of 7 characters the long line is refused before it is ever joined.
    const pieces = long.match(/[\s\S]{1,7}/g) ?? [];
    expect(() => eachLine('big.ndjson', pieces, () => undefined, { maxLineChars: 64 })).toThrow('Line 5 of "big.ndjson" is longer than 64 characters; one line must fit in a JavaScript string.');
  });
});

describe('NDJSON from bytes', () => {
  const text = '{"name": "Zoë", "n": 1}\n\n{"n": 2, "city": "北京"}\r\n{"name": "€5"}\n';

  it('reads the same columns from bytes in 1- to 9-byte pieces (characters split between pieces) as from the whole string', () => {
    const whole = ndjsonColumns('r.ndjson', [text]);
    expect(whole.names).toEqual(['name', 'n', 'city']);
    expect(whole.columns).toEqual([
      ['Zoë', null, '€5'],
      [1, 2, null],
      [null, '北京', null],
    ]);
    for (let piece = 1; piece <= 9; piece++) {
      const read = readNdjsonBytes('r.ndjson', utf8(text), 'auto', { pieceBytes: piece });
      expect(read?.columns).toEqual(whole.columns);
      expect(read?.encoding).toBe('utf-8');
      expect(read?.notes).toEqual([]);
    }
  });

  it('decides the encoding as the whole-string decode does, and says when it guessed', () => {
    // "café" in Windows-1252 is not UTF-8; GB18030 rejects the lone 0xE9 at the end of a line.
    const bytes = Uint8Array.from([...utf8('{"a": "caf'), 0xe9, ...utf8('"}\n')]);
    const read = readNdjsonBytes('w.ndjson', bytes, 'auto', { pieceBytes: 3 });
    expect(read?.columns).toEqual([['café']]);
    expect(read?.notes).toEqual([{ code: 'guessedEncoding', values: { name: 'w.ndjson', encoding: 'windows-1252' } }]);
    const chosen = readNdjsonBytes('w.ndjson', bytes, 'utf-8', { pieceBytes: 3 });
    expect(chosen?.notes).toEqual([{ code: 'replacedBytes', values: { name: 'w.ndjson', count: 1, encoding: 'utf-8' } }]);
  });

  it('names the line of a bad record and of JSON nested too deep, and reads a blank file as null', () => {
    expect(() => readNdjsonBytes('b.ndjson', utf8('{"a": 1}\n\n[2]\n'), 'auto', { pieceBytes: 4 })).toThrow('Line 3 of "b.ndjson" is not a JSON object: "it is JSON of type array"');
    expect(() => readNdjsonBytes('b.ndjson', utf8('{"a": 1}\n{"a": \n'), 'auto')).toThrow(/^Line 2 of "b\.ndjson" is not a JSON object: /);
    expect(() => readNdjsonBytes('d.ndjson', utf8(`{"a": 1}\n{"a": ${'['.repeat(70)}${']'.repeat(70)}}\n`), 'auto')).toThrow('nests deeper than 64 levels (line 2)');
    expect(readNdjsonBytes('e.ndjson', utf8(' \n\r\n'), 'auto')).toBeNull();
  });

  it('is what readTable uses for NDJSON, with the same table as before and no size refusal of its own', async () => {
    const result = await readTable({ name: 'r.ndjson', bytes: utf8(text) });
    expect(result.format).toBe('ndjson');
    expect(values(result, 'n')).toEqual([1, 2, null]);
    // Sniffed from the text, not the name.
    expect((await readTable({ name: 'r.txt', bytes: utf8(text) })).format).toBe('ndjson');
    await expect(readTable({ name: 'e.ndjson', bytes: utf8('\n \n') })).rejects.toThrow('The file "e.ndjson" is empty.');
    // A view that reports 600 MB (over the 512 MB string limit) is read, not refused: only its real 64 KiB hold lines.
    const lines = '{"id": 1}\n'.repeat(6554);
    const bytes = utf8(lines);
    Object.defineProperty(bytes, 'length', { value: 600 * 1048576 });
    const big = await readTable({ name: 'big.ndjson', bytes }, { maxBytes: 4096 * 1048576 });
    expect(big.table.numRows()).toBe(6554);
  });
});

describe('baskets from bytes', () => {
  const text = 'milk, bread\r\n\r\n"a, b",,eggs\n"two\nlines";x\n"say ""hi""",  z \r\nend';

  it('reads the same rows fed in pieces cut anywhere (inside quotes, between "" and between \\r and \\n) as whole', () => {
    const whole = readBasketLines(text, ',');
    expect(whole.columns).toEqual([
      [1, 1, 3, 3, 4, 6, 6, 7],
      ['milk', 'bread', 'a, b', 'eggs', 'two\nlines;x', 'say "hi"', 'z', 'end'],
    ]);
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2 += 3) {
        const reader = new BasketLineReader(',');
        reader.feed(text.slice(0, cut));
        reader.feed(text.slice(cut, cut2));
        reader.feed(text.slice(cut2));
        expect(reader.done().columns).toEqual(whole.columns);
      }
    }
  });

  it('reads them from bytes in small pieces, guessing the delimiter from the text as before', async () => {
    const semicolons = 'a;b;c\nd;e\n';
    const read = readBasketBytes('g.txt', utf8(semicolons), 'auto', 'auto', { pieceBytes: 2 });
    expect(read?.delimiter).toBe(';');
    expect(read?.columns).toEqual(readBasketLines(semicolons, 'auto').columns);
    expect(readBasketBytes('e.txt', utf8('  \n'), 'auto', 'auto', { pieceBytes: 1 })).toBeNull();
    const table = await readTable({ name: 'g.txt', bytes: utf8(semicolons) }, { format: 'baskets' });
    expect(values(table, 'item')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(table.delimiter).toBe(';');
  });
});

describe('the one-string limit, decided before reading', () => {
  const over = 600 * 1048576;
  it('refuses JSON (by name or by choice) and GB18030 delimited text over 512 MB with the figures, and nothing that is read in pieces', () => {
    expect(oneStringOver('big.json', over, 'auto', 'auto')).toEqual({ megabytes: 600, limit: 512 });
    expect(oneStringOver('big.txt', over, 'json', 'auto')).toEqual({ megabytes: 600, limit: 512 });
    expect(oneStringOver('big.csv', over, 'auto', 'gb18030')).toEqual({ megabytes: 600, limit: 512 });
    expect(oneStringOver('big.json', maxTextBytes, 'auto', 'auto')).toBeNull();
    for (const [name, format, encoding] of [
      ['big.ndjson', 'auto', 'auto'],
      ['big.jsonl', 'auto', 'gb18030'],
      ['big.txt', 'ndjson', 'auto'],
      ['big.txt', 'baskets', 'gb18030'],
      ['big.csv', 'auto', 'utf-8'],
      ['big.parquet', 'auto', 'gb18030'],
      ['big.json', 'ndjson', 'auto'],
    ] as const) {
      expect(oneStringOver(name, over, format, encoding)).toBeNull();
    }
    // A parameter that is not a string reads as 'auto'.
    expect(oneStringOver('big.json', over, 7, null)).toEqual({ megabytes: 600, limit: 512 });
  });
});
