import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { cellKey, hasNumberCells, idKey, idTexts, isNumericColumn, labelCell, meanById, meanByKey, numericCell, numericMatrix, numericValues, timeValue } from '../../src/data/cells.ts';

describe('cell readers', () => {
  it('idKey joins a float-formatted integer id with the integer and turns blanks into null', () => {
    expect([idKey('17850.0'), idKey(17850), idKey(' 17850 '), idKey('A-1'), idKey(''), idKey(null), idKey(Number.NaN), idKey(true)]).toEqual(['17850', '17850', '17850', 'A-1', null, null, null, 'true']);
    expect(idKey(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
  });

  it('cellKey keeps the text as written (trimmed), so 17850.0 and 17850 stay two keys', () => {
    expect([cellKey('17850.0'), cellKey(17850), cellKey('  x '), cellKey(null), cellKey(Number.POSITIVE_INFINITY), cellKey(new Date(Number.NaN))]).toEqual(['17850.0', '17850', 'x', '', '', '']);
  });

  it('numericCell reads numbers, loose number text and booleans, and NaN otherwise', () => {
    expect([numericCell(2.5), numericCell('1,234.50'), numericCell('(42)'), numericCell(true), numericCell(false)]).toEqual([2.5, 1234.5, -42, 1, 0]);
    expect([numericCell('abc'), numericCell(null), numericCell(undefined)].every(Number.isNaN)).toBe(true);
  });

  it('labelCell reads 0/1, true/false and yes/no, gives NaN for a missing label and undefined for anything else', () => {
    expect([labelCell(1), labelCell(0), labelCell(' Yes '), labelCell('no'), labelCell('TRUE'), labelCell(false)]).toEqual([1, 0, 1, 0, 1, 0]);
    expect([labelCell(null), labelCell(''), labelCell(Number.NaN)].every((v) => Number.isNaN(v))).toBe(true);
    expect([labelCell(2), labelCell('maybe'), labelCell({})]).toEqual([undefined, undefined, undefined]);
  });

  it('timeValue reads ISO text (trimmed) as UTC epoch ms and NaN for text that is no time', () => {
    expect(timeValue(' 2024-01-02 ')).toBe(Date.UTC(2024, 0, 2));
    expect(Number.isNaN(timeValue('soon'))).toBe(true);
  });
});

describe('column readers', () => {
  const t = table({ id: [1, 1, 2, null, 3], v: [2, 4, 'x', 5, Number.POSITIVE_INFINITY], mixed: [null, 1, 'a', null, null] });

  it('idTexts gives each id as text, \'\' when missing, or 1-based row numbers without an id column', () => {
    expect(idTexts(t, 'id')).toEqual(['1', '1', '2', '', '3']);
    expect(idTexts(t, '')).toEqual(['1', '2', '3', '4', '5']);
  });

  it('isNumericColumn needs every present value to be a number; hasNumberCells only one among the first cells', () => {
    expect([isNumericColumn(t, 'id'), isNumericColumn(t, 'mixed'), hasNumberCells(t, 'mixed'), hasNumberCells(t, 'mixed', 1)]).toEqual([true, false, true, false]);
  });

  it('numericValues keeps numbers and turns anything else into NaN', () => {
    expect(Array.from(numericValues(t, 'v'))).toEqual([2, 4, Number.NaN, 5, Number.POSITIVE_INFINITY]);
  });

  it('meanById and meanByKey average the finite values per id, skipping missing ids and bad values', () => {
    const expected = new Map([['1', 3]]);
    expect(meanById(t, 'id', 'v')).toEqual(expected);
    expect(meanByKey(t, 'id', 'v')).toEqual(expected);
  });

  it('meanById and meanByKey keep their own id rules: a Date id is ISO text in both, a float-formatted id is kept as written', () => {
    const d = table({ id: ['7.0', '7', new Date(Date.UTC(2024, 0, 1))], v: [1, 3, 5] });
    expect(meanByKey(d, 'id', 'v')).toEqual(new Map([['7.0', 1], ['7', 3], ['2024-01-01T00:00:00.000Z', 5]]));
    expect(meanById(d, 'id', 'v')).toEqual(new Map([['7.0', 1], ['7', 3], ['2024-01-01T00:00:00.000Z', 5]]));
  });
});

describe('numericMatrix', () => {
  it('reads the columns row-major', () => {
    expect(numericMatrix(table({ a: [1, 2], b: [3, 4] }), ['a', 'b'])).toEqual({ values: Float64Array.from([1, 3, 2, 4]), bad: null });
  });
  it('names the first cell that is not a finite number, column by column, and whether it is missing or of another kind', () => {
    expect(numericMatrix(table({ a: [1, 'x'], b: [null, 4] }), ['a', 'b']).bad).toEqual({ column: 'a', row: 1, value: 'x', missing: false });
    expect(numericMatrix(table({ a: [1, 2], b: [null, 4] }), ['a', 'b']).bad).toEqual({ column: 'b', row: 0, value: null, missing: true });
    expect(numericMatrix(table({ a: [Number.NaN] }), ['a']).bad).toEqual({ column: 'a', row: 0, value: Number.NaN, missing: true });
  });
});
