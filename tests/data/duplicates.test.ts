import { describe, expect, it } from 'vitest';
import { firstOccurrences } from '../../src/data/duplicates.ts';
import type { Values } from '../../src/data/columns.ts';
import { createRng } from '../../src/ml/random.ts';

/** The rows kept by a plain reference: each row's cells as one canonical text key. */
function referenceKeep(columns: readonly Values[], rows: number): Uint8Array {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (v instanceof Date && Number.isNaN(v.getTime()))) return 'missing';
    if (typeof v === 'number') return `number ${v === 0 ? 0 : v}`;
    if (v instanceof Date) return `date ${v.getTime()}`;
    if (typeof v === 'string') return `text ${JSON.stringify(v)}`;
    return `${typeof v} ${String(v)}`;
  };
  const seen = new Set<string>();
  const keep = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const key = columns.map((c) => cell(c[i])).join('|');
    keep[i] = seen.has(key) ? 0 : 1;
    seen.add(key);
  }
  return keep;
}

describe('firstOccurrences', () => {
  it('keeps the same rows as a text-key reference over 40 seeded mixed tables', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createRng(seed);
      const rows = 200 + rng.int(2000);
      // Few distinct values per column, so that duplicates and near-duplicates are common.
      const pick = (i: number): unknown => {
        switch (rng.int(12)) {
          case 0:
            return null;
          case 1:
            return Number.NaN;
          case 2:
            return rng.int(2) === 0 ? 0 : -0;
          case 3:
            return new Date(Date.UTC(2011, 0, 1 + rng.int(3)));
          case 4:
            return new Date(Number.NaN);
          case 5:
            return rng.int(2) === 0;
          case 6:
            return `t${rng.int(3)}`;
          case 7:
            return String(rng.int(3));
          case 8:
            return undefined;
          case 9:
            return BigInt(rng.int(2));
          default:
            return rng.int(3) + (i % 2 === 0 ? 0 : 0.5);
        }
      };
      const numbers = Float64Array.from({ length: rows }, () => (rng.int(10) === 0 ? Number.NaN : rng.int(20) === 0 ? -0 : rng.int(4)));
      const textOnly = Array.from({ length: rows }, () => `k${rng.int(30)}`);
      const mixed = Array.from({ length: rows }, (_, i) => pick(i));
      const dates = Array.from({ length: rows }, () => (rng.int(8) === 0 ? null : new Date(Date.UTC(2010, 11, 1 + rng.int(4)))));
      const tables: Values[][] = [[numbers, mixed], [textOnly], [textOnly, dates], [mixed, dates, numbers], [numbers]];
      for (const columns of tables) {
        const keep = firstOccurrences(columns, rows);
        const expected = referenceKeep(columns, rows);
        let differ = -1;
        for (let i = 0; i < rows && differ < 0; i++) if (keep[i] !== expected[i]) differ = i;
        expect(differ, `seed ${seed}, ${columns.length} columns, first differing row`).toBe(-1);
      }
    }
  });

  it('treats −0 as 0 in typed columns and NaN as missing alike with null', () => {
    const keep = firstOccurrences([Float64Array.from([0, -0, Number.NaN, Number.NaN, 1]), [null, null, null, undefined, 1]], 5);
    expect(Array.from(keep)).toEqual([1, 0, 1, 0, 1]);
  });

  it('returns no marks for a table without rows', () => {
    expect(Array.from(firstOccurrences([], 0))).toEqual([]);
    expect(Array.from(firstOccurrences([[]], 0))).toEqual([]);
  });
});
