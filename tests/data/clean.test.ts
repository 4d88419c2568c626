import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { table as aqTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { cleanTable } from '../../src/data/clean.ts';
import { firstOccurrences } from '../../src/data/duplicates.ts';
import { columnValues } from '../../src/data/columns.ts';
import { readTable } from '../../src/data/read.ts';

const col = (t: import('arquero').ColumnTable, name: string) => Array.from(columnValues(t, name));
const fixture = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', name))) });

describe('cleanTable on Telco churn (11 blank TotalCharges)', () => {
  it('reports the 11 blank TotalCharges even when they are kept', async () => {
    const { table } = await readTable(fixture('telco-churn-subset.csv'));
    const result = cleanTable(table, { dropDuplicates: true });
    expect(result.report.filter((r) => r.rule === 'missing')).toEqual([{ rule: 'missing', column: 'TotalCharges', rows_affected: 11, detail: 'kept as missing (no strategy chosen)' }]);
    expect(result.table.numRows()).toBe(60);
  });

  it('drops their rows, or fills them with 0, when asked', async () => {
    const { table } = await readTable(fixture('telco-churn-subset.csv'));
    const dropped = cleanTable(table, { missing: { TotalCharges: 'drop-row' } });
    expect(dropped.table.numRows()).toBe(49);
    expect(dropped.report.filter((r) => r.rule === 'missing')).toEqual([{ rule: 'missing', column: 'TotalCharges', rows_affected: 11, detail: 'dropped 11 rows with a missing TotalCharges' }]);
    const filled = cleanTable(table, { missing: { TotalCharges: 'constant' }, missingConstant: '0' });
    const total = col(filled.table, 'TotalCharges');
    const tenure = col(filled.table, 'tenure');
    expect(total.filter((_, i) => tenure[i] === 0)).toEqual(Array.from({ length: 11 }, () => 0));
    expect(total.every((v) => typeof v === 'number')).toBe(true);
    expect(filled.report.filter((r) => r.rule === 'missing')).toEqual([{ rule: 'missing', column: 'TotalCharges', rows_affected: 11, detail: 'imputed constant = 0' }]);
  });
});

describe('cleanTable steps', () => {
  it('trims text and turns cells left empty into missing', () => {
    const result = cleanTable(aqTable({ s: [' a', 'b ', '   ', 'c', null] }), { trim: true });
    expect(col(result.table, 's')).toEqual(['a', 'b', null, 'c', null]);
    expect(result.report[0]).toEqual({ rule: 'trim', column: 's', rows_affected: 3, detail: 'surrounding whitespace removed; 1 cells left empty became missing' });
  });

  it('reads malformed numbers in chosen columns and counts the unreadable ones', () => {
    const result = cleanTable(aqTable({ amount: ['1,234.50', '$12', 'n/a', null], code: ['007', '010', '011', '012'] }), { parseNumbers: ['amount'] });
    expect(col(result.table, 'amount')).toEqual([1234.5, 12, null, null]);
    expect(col(result.table, 'code')).toEqual(['007', '010', '011', '012']);
    expect(result.report.find((r) => r.rule === 'parse-numbers')).toEqual({ rule: 'parse-numbers', column: 'amount', rows_affected: 2, detail: 'chosen: 2 text cells read as numbers; 1 unreadable became missing' });
    expect(result.notes).toEqual([{ code: 'unparseable', values: { column: 'amount', count: 1, example: 'n/a' } }]);
  });

  it('converts a text column automatically only when every cell reads as a number', () => {
    const result = cleanTable(aqTable({ a: ['1,5', '2,25'], b: ['1', 'x'], c: ['0123', '0456'] }));
    expect(col(result.table, 'a')).toEqual([1.5, 2.25]);
    expect(col(result.table, 'b')).toEqual(['1', 'x']);
    expect(col(result.table, 'c')).toEqual(['0123', '0456']);
  });

  it('drops rows equal to an earlier row, treating null and NaN alike and dates by instant', () => {
    const t = aqTable({
      a: [1, 1, 2, 1, Number.NaN, null],
      b: ['x', 'x', 'x', 'y', 'z', 'z'],
      c: [new Date(5), new Date(5), new Date(5), new Date(5), null, null],
    });
    const result = cleanTable(t, { dropDuplicates: true, trim: false });
    expect(col(result.table, 'b')).toEqual(['x', 'x', 'y', 'z']);
    expect(col(result.table, 'a')).toEqual([1, 2, 1, null]);
    expect(result.report).toContainEqual({ rule: 'duplicates', column: '', rows_affected: 2, detail: '2 rows equal to an earlier row in all 3 columns were dropped' });
  });

  it('finds exact duplicates among 20,000 rows with many near-duplicates', () => {
    const n = 20_000;
    const a = Float64Array.from({ length: n }, (_, i) => i % 5000);
    const b = Array.from({ length: n }, (_, i) => `k${i % 7000}`);
    const keep = firstOccurrences([a, b], n);
    const seen = new Set<string>();
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const key = `${a[i]}|${b[i]}`;
      const fresh = !seen.has(key);
      seen.add(key);
      if (fresh) expected++;
      expect(keep[i], `row ${i}`).toBe(fresh ? 1 : 0);
    }
    expect(expected).toBe(seen.size);
  });

  it('keeps rows that satisfy every structured condition and reports each one', () => {
    const t = aqTable({ invoice: ['536370', 'C536379', '536371', null], qty: [6, -1, 0, 3], when: [new Date('2011-01-01T00:00:00Z'), new Date('2011-02-01T00:00:00Z'), new Date('2011-03-01T00:00:00Z'), new Date('2011-04-01T00:00:00Z')] });
    const result = cleanTable(t, {
      conditions: [
        { column: 'invoice', op: 'not-starts-with', value: 'C' },
        { column: 'qty', op: '>', value: '0' },
      ],
    });
    expect(col(result.table, 'invoice')).toEqual(['536370']);
    expect(result.report.filter((r) => r.rule === 'condition')).toEqual([
      { rule: 'condition', column: 'invoice', rows_affected: 2, detail: 'kept rows where invoice not-starts-with "C"; 2 removed' },
      { rule: 'condition', column: 'qty', rows_affected: 1, detail: 'kept rows where qty > "0"; 1 removed' },
    ]);
    const dated = cleanTable(t, { conditions: [{ column: 'when', op: '>=', value: '2011-02-01' }, { column: 'invoice', op: 'is-missing', value: null }] });
    expect(col(dated.table, 'qty')).toEqual([3]);
  });

  it('refuses a condition whose value does not fit the column, naming both', () => {
    const t = aqTable({ qty: [1, 2] });
    expect(() => cleanTable(t, { conditions: [{ column: 'qty', op: '>', value: 'many' }] })).toThrow('Condition 1: column "qty" holds numbers, so the value compared with ">" must be a number; got "many".');
    expect(() => cleanTable(t, { conditions: [{ column: 'qty', op: '>', value: null }] })).toThrow('Condition 1 on column "qty" uses operator ">", which needs a value to compare with.');
  });

  it('imputes mean, median and mode from the rows kept so far', () => {
    const t = aqTable({ x: [1, 2, null, 10, null], s: ['a', null, 'b', 'b', 'a'] });
    const mean = cleanTable(t, { missing: { x: 'mean', s: 'mode' } });
    expect(col(mean.table, 'x')).toEqual([1, 2, 13 / 3, 10, 13 / 3]);
    expect(col(mean.table, 's')).toEqual(['a', 'a', 'b', 'b', 'a']);
    expect(mean.report.filter((r) => r.rule === 'missing')).toEqual([
      { rule: 'missing', column: 'x', rows_affected: 2, detail: 'imputed mean = 4.333333' },
      { rule: 'missing', column: 's', rows_affected: 1, detail: 'imputed mode = "a" (2 times)' },
    ]);
    expect(col(cleanTable(t, { missing: { x: 'median' } }).table, 'x')).toEqual([1, 2, 2, 10, 2]);
  });

  it('refuses a mean of text and warns when a column has no value to impute from', () => {
    expect(() => cleanTable(aqTable({ s: ['a', null] }), { missing: { s: 'mean' } })).toThrow('Column "s" in parameter "missing" must hold numbers; it holds values of kind "text" such as "a".');
    const empty = cleanTable(aqTable({ x: [null, null] }), { missing: { x: 'median' } });
    expect(empty.notes).toEqual([{ code: 'noValuesToImpute', values: { column: 'x', strategy: 'median', count: 2 } }]);
    expect(() => cleanTable(aqTable({ x: [1, null] }), { missing: { x: 'constant' }, missingConstant: 'zero' })).toThrow('Parameter "missingConstant" is "zero", which cannot fill "number" column "x".');
  });

  it('clips or drops values beyond the IQR fences (type-7 quartiles)', () => {
    const t = aqTable({ x: [1, 2, 3, 4, 100, null] });
    const clipped = cleanTable(t, { outliers: 'clip', outlierColumns: ['x'] });
    expect(col(clipped.table, 'x')).toEqual([1, 2, 3, 4, 7, null]);
    expect(clipped.report.at(-1)).toEqual({ rule: 'outliers', column: 'x', rows_affected: 1, detail: 'clipped to bounds [-1, 7] from Q1 = 2, Q3 = 4, k = 1.5' });
    const dropped = cleanTable(t, { outliers: 'drop', outlierColumns: ['x'], iqrFactor: 1 });
    expect(col(dropped.table, 'x')).toEqual([1, 2, 3, 4, null]);
  });

  it('turns NaN into missing and infinite values into missing with a warning', () => {
    const result = cleanTable(aqTable({ x: Float64Array.from([1, Number.NaN, Infinity, -Infinity]) }));
    expect(col(result.table, 'x')).toEqual([1, null, null, null]);
    expect(result.notes).toEqual([{ code: 'infinite', values: { column: 'x', count: 2 } }]);
    expect(result.report).toContainEqual({ rule: 'missing', column: 'x', rows_affected: 3, detail: 'kept as missing (no strategy chosen)' });
  });

  it('never changes its input and warns when every row is removed', () => {
    const x = [3, 1, 2];
    const t = aqTable({ x });
    const result = cleanTable(t, { conditions: [{ column: 'x', op: '>', value: 10 }] });
    expect(x).toEqual([3, 1, 2]);
    expect(result.table.numRows()).toBe(0);
    expect(result.notes).toEqual([{ code: 'everyRowRemoved', values: { rows: 3 } }]);
  });
});

describe('cleanTable output: a view over its input or a copy of the kept rows', () => {
  const input = () => aqTable({ id: Float64Array.from({ length: 10 }, (_, i) => i), name: Array.from({ length: 10 }, (_, i) => `n${i}`) });
  it('shares its input’s columns when it keeps at least half the rows', () => {
    const source = input();
    const out = cleanTable(source, { dropDuplicates: false, conditions: [{ column: 'id', op: '>', value: 4 }] }).table;
    expect(out.isFiltered()).toBe(true);
    expect(out.column('name')).toBe(source.column('name'));
    expect(columnValues(out, 'name')).toEqual(['n5', 'n6', 'n7', 'n8', 'n9']);
  });
  it('copies the kept rows when it keeps fewer than half, so the input’s rows are not held', () => {
    const out = cleanTable(input(), { dropDuplicates: false, conditions: [{ column: 'id', op: '>', value: 5 }] }).table;
    expect(out.isFiltered()).toBe(false);
    expect(out.totalRows()).toBe(4);
    expect(columnValues(out, 'name')).toEqual(['n6', 'n7', 'n8', 'n9']);
    expect(Array.from(columnValues(out, 'id') as Float64Array)).toEqual([6, 7, 8, 9]);
  });
});
