import { describe, expect, it } from 'vitest';
import { cellText, queryRows, spreadSample } from '../../src/data/table-query.ts';

const columns = new Map<string, ArrayLike<unknown>>([
  ['id', ['a', 'b', 'c', 'd', 'e']],
  ['segment', ['Loyal', 'New', 'Loyal', 'Lapsed', null]],
  ['value', [3, null, 10, -1, 3]],
]);

describe('queryRows', () => {
  it('keeps the table order when there is no query', () => {
    expect([...queryRows(columns, 5, {})]).toEqual([0, 1, 2, 3, 4]);
  });
  it('sorts numbers ascending and descending with missing values last and ties in table order', () => {
    expect([...queryRows(columns, 5, { sort: { column: 'value', descending: false } })]).toEqual([3, 0, 4, 2, 1]);
    expect([...queryRows(columns, 5, { sort: { column: 'value', descending: true } })]).toEqual([2, 0, 4, 3, 1]);
  });
  it('sorts text by locale with missing text last', () => {
    expect([...queryRows(columns, 5, { sort: { column: 'segment', descending: false } })]).toEqual([3, 0, 2, 1, 4]);
  });
  it('searches every column case-insensitively', () => {
    expect([...queryRows(columns, 5, { search: 'loy' })]).toEqual([0, 2]);
    expect([...queryRows(columns, 5, { search: '10' })]).toEqual([2]);
  });
  it('applies contains, in and range filters together', () => {
    expect([...queryRows(columns, 5, { filters: [{ column: 'segment', op: 'in', values: ['Loyal', 'Lapsed'] }] })]).toEqual([0, 2, 3]);
    expect([...queryRows(columns, 5, { filters: [{ column: 'segment', op: 'in', values: ['Loyal'] }, { column: 'value', op: 'range', min: 5, max: null }] })]).toEqual([2]);
    expect([...queryRows(columns, 5, { filters: [{ column: 'id', op: 'contains', text: 'D' }] })]).toEqual([3]);
  });
  it('names the unknown column of a filter or sort', () => {
    expect(() => queryRows(columns, 5, { sort: { column: 'nope', descending: false } })).toThrow('Sort column "nope" is not in the table (columns: id, segment, value).');
    expect(() => queryRows(columns, 5, { filters: [{ column: 'toString', op: 'contains', text: 'x' }] })).toThrow('Filter column "toString" is not in the table');
  });
});

describe('cellText and spreadSample', () => {
  it('writes missing and non-finite cells as empty text and dates in ISO', () => {
    expect([null, undefined, Number.NaN, 1.5, new Date(Date.UTC(2024, 0, 2)), true].map(cellText)).toEqual(['', '', '', '1.5', '2024-01-02T00:00:00.000Z', 'true']);
  });
  it('samples evenly and keeps every row when there are few', () => {
    expect(spreadSample([5, 6, 7], 10)).toEqual([5, 6, 7]);
    expect(spreadSample(Uint32Array.from({ length: 10 }, (_, i) => i), 4)).toEqual([0, 2, 5, 7]);
  });
});
