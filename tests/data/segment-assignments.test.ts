import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { assignmentIdColumn, segmentsByCustomer } from '../../src/data/segment-assignments.ts';

describe('segment assignments', () => {
  it('take the id column named id, else the first column', () => {
    expect(assignmentIdColumn(table({ segment: [1], id: ['a'] }))).toBe('id');
    expect(assignmentIdColumn(table({ customer: ['a'], segment: [1] }))).toBe('customer');
  });

  it('read each customer’s segment and name (the last valid row of a repeated id), the first raw id cell per key, and the names by segment', () => {
    const t = table({ id: [7, 'b', 7, '', 'c'], segment: [1, 2, 3, 1, 1.5], segment_name: ['Loyal', 'New', 'Lapsed', 'Loyal', 'Odd'] });
    const read = segmentsByCustomer(t);
    expect([...read.segmentOf]).toEqual([
      ['7', { segment: 3, name: 'Lapsed' }],
      ['b', { segment: 2, name: 'New' }],
    ]);
    expect(read.rawIds.get('7')).toBe(7);
    expect([...read.rawIds.keys()]).toEqual(['7', 'b', '', 'c']);
    expect([...read.names]).toEqual([
      [3, 'Lapsed'],
      [2, 'New'],
    ]);
  });

  it('name segments by number without a segment_name column, and give nothing without a table', () => {
    expect(segmentsByCustomer(table({ id: ['a'], segment: [4] })).segmentOf.get('a')).toEqual({ segment: 4, name: 'segment 4' });
    const none = segmentsByCustomer(undefined);
    expect([none.segmentOf.size, none.rawIds.size, none.names.size]).toEqual([0, 0, 0]);
  });
});
