import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReceipts, parseCsv, syntheticInteractions } from '../../../src/cli/bench/recommend.ts';

describe('recommend bench helpers', () => {
  it('parses quoted fields with commas, doubled quotes and CRLF line ends', () => {
    expect(parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\n2,,z')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', '', 'z'],
    ]);
  });

  it('generates the same synthetic interactions for the same seed', () => {
    const a = syntheticInteractions(200, 50, 3);
    const b = syntheticInteractions(200, 50, 3);
    expect(Array.from(b.items)).toEqual(Array.from(a.items));
    expect(a.nUsers).toBe(200);
    expect(Math.max(...a.items)).toBeLessThan(50);
  });

  it('reads a receipts table by column name, leaving out rows with quantity ≤ 0', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rec-bench-')), 'receipts.csv');
    writeFileSync(path, 'BASKET_ID,PRODUCT_ID,household_key,QUANTITY\n9,p1,h1,1\n9,p2,h1,2\n8,p1,h2,0\n7,p3,h2,3\n');
    const x = loadReceipts(path);
    expect([x.nUsers, x.nItems]).toEqual([2, 3]);
    expect(Array.from(x.users)).toEqual([0, 0, 1]);
    expect(Array.from(x.items)).toEqual([0, 1, 2]);
    expect(Array.from(x.counts ?? [])).toEqual([1, 2, 3]);
  });
});
