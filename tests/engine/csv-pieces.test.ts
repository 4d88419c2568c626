import { describe, expect, it } from 'vitest';
import { makeTable } from '../../src/data/columns.ts';
import { tableCsvPieces, tableToCsv } from '../../src/engine/port-codec.ts';

describe('tableCsvPieces', () => {
  it('writes the same CSV as tableToCsv, header first, for pieces of 1, 2, 3 and 1,000 rows and for an empty table', () => {
    const table = makeTable(['id', 'name', 'when', 'constructor'], [Float64Array.from([1, 2, 3, 4, 5]), ['a', 'b,c', 'say "hi"', null, '=cmd'], [new Date(0), null, new Date(86_400_000), null, null], [true, false, null, true, false]]);
    for (const rows of [1, 2, 3, 1000]) expect([...tableCsvPieces(table, rows)].join('')).toBe(tableToCsv(table));
    expect([...tableCsvPieces(table, 2)]).toHaveLength(3);
    const empty = makeTable(['a', 'b'], [[], []]);
    expect([...tableCsvPieces(empty, 2)].join('')).toBe(tableToCsv(empty));
  });
});
