import { describe, expect, it } from 'vitest';
import { makeTable, selectRows } from '../../src/data/columns.ts';
import { tableCsvPieces, tableToCsv } from '../../src/engine/port-codec.ts';

describe('tableCsvPieces', () => {
  it('writes the same CSV as tableToCsv, header first, for pieces of 1, 2, 3 and 1,000 rows and for an empty table', () => {
    const table = makeTable(['id', 'name', 'when', 'constructor'], [Float64Array.from([1, 2, 3, 4, 5]), ['a', 'b,c', 'say "hi"', null, '=cmd'], [new Date(0), null, new Date(86_400_000), null, null], [true, false, null, true, false]]);
    for (const rows of [1, 2, 3, 1000]) expect([...tableCsvPieces(table, rows)].join('')).toBe(tableToCsv(table));
    expect([...tableCsvPieces(table, 2)]).toHaveLength(3);
    const empty = makeTable(['a', 'b'], [[], []]);
    expect([...tableCsvPieces(empty, 2)].join('')).toBe(tableToCsv(empty));
  });

  it("writes a filtered or ordered table's selected rows, in order, a piece of that many selected rows at a time", () => {
    const n = 50;
    const table = makeTable(['i', 'text', 'when'], [Float64Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `t${i % 5}`)), Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : new Date(i * 86_400_000)))]);
    const keep = new Uint8Array(n).map((_, i) => (i % 4 === 1 || i > 40 ? 1 : 0));
    const filtered = selectRows(table, keep);
    expect(filtered.isFiltered()).toBe(true);
    const copied = filtered.reify();
    expect(copied.isFiltered()).toBe(false);
    for (const rows of [1, 3, 8, 1000]) expect([...tableCsvPieces(filtered, rows)].join('')).toBe(tableToCsv(copied));
    const kept = filtered.numRows();
    expect([...tableCsvPieces(filtered, 3)]).toHaveLength(Math.ceil(kept / 3));
    // Without the header (a later batch), and a selection of no rows.
    expect([...tableCsvPieces(filtered, 3, false)].join('')).toBe(tableToCsv(copied).split('\n').slice(1).join('\n'));
    expect([...tableCsvPieces(selectRows(table, new Uint8Array(n)), 4)].join('')).toBe('i,text,when\n');
    const ordered = filtered.orderby('text');
    expect([...tableCsvPieces(ordered, 4)].join('')).toBe(tableToCsv(ordered.reify()));
  });
});
