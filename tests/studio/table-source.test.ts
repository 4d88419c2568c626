import { describe, expect, it } from 'vitest';
import { columnTypes, localSource } from '../../src/studio/views/table-source.ts';

describe('a table already in the page as a table source', () => {
  const source = localSource('profiles', ['segment', 'name', 'size'], [[1, 'Loyal', 30], [2, 'New', 50], [3, 'Lapsed', 20]]);
  it('sorts, filters and windows like the worker does', async () => {
    expect(await source.load({ sort: { column: 'size', descending: true } }, 0, 2)).toEqual({ columns: ['segment', 'name', 'size'], rows: [[2, 'New', 50], [1, 'Loyal', 30]], totalRows: 3, tableRows: 3, offset: 0 });
    expect(await source.load({ search: 'la' }, 0, 10)).toEqual({ columns: ['segment', 'name', 'size'], rows: [[3, 'Lapsed', 20]], totalRows: 1, tableRows: 3, offset: 0 });
  });
  it('types columns by their first non-null cell', () => {
    expect(columnTypes(['a', 'b', 'c', 'd'], [[null, 'x', true, null], [1, 'y', false, null]])).toEqual(['number', 'string', 'boolean', 'empty']);
  });
});
