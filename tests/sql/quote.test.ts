import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteNumber, quoteString, SqlQuoteError } from '../../src/sql/quote.ts';

const awkward = ['plain', 'it\'s', 'say "hi"', 'a; DROP TABLE t; --', '-- comment', "'); SELECT 1; --", '客户 ID', 'é\u0301 🙂', '\\', ' lead and trail ', '$1', '?'];

describe('SQL quoting', () => {
  it('doubles quotes in identifiers and string literals and refuses NUL', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteString("a'b")).toBe("'a''b'");
    expect(() => quoteIdent('a\0b')).toThrow(SqlQuoteError);
    expect(() => quoteString('a\0b')).toThrow(SqlQuoteError);
  });

  it('writes numbers exactly as DOUBLE and refuses non-finite ones', () => {
    expect(quoteNumber(0.1)).toBe("CAST('0.1' AS DOUBLE)");
    expect(() => quoteNumber(Infinity)).toThrow(SqlQuoteError);
    expect(() => quoteNumber(Number.NaN)).toThrow(SqlQuoteError);
  });

  it('round-trips awkward names and values through DuckDB as data (exactly)', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    for (const text of awkward) {
      const reader = await c.runAndReadAll(`SELECT ${quoteString(text)} AS ${quoteIdent(text)}`);
      expect(reader.columnNames()).toEqual([text]);
      expect(reader.getRowsJS()).toEqual([[text]]);
    }
    for (const x of [0.1, 1 / 3, -0, 5e-324, 1.7976931348623157e308, -123456789.123456789, 2 ** 53 + 2]) {
      const reader = await c.runAndReadAll(`SELECT ${quoteNumber(x)} AS v`);
      expect(Object.is(reader.getRowsJS()[0]?.[0], x)).toBe(true);
    }
    c.closeSync();
    db.closeSync();
  });
});
