import { describe, expect, it } from 'vitest';
import { parseCsv, syntheticInteractions } from '../../../src/cli/bench/recommend.ts';

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
});
