/**
 * The shared degenerate-input suite (STYLE.md point 8): every registered node kind is run
 * against an empty table, zero columns, one row, an all-null column, NaN/Infinity, a constant
 * column, a wrong type and a missing column named in params. Each must give a result or a
 * declared message — never an uncaught exception (`node.exception`), never a silent NaN.
 */
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../nodes/index.ts';
import { cases, degenerateSuite } from './degenerate-suite.ts';

degenerateSuite(nodeKinds);

describe('the degenerate suite itself', () => {
  it('runs each registered kind once (kinds are unique) and keeps its eight cases', () => {
    expect(new Set(nodeKinds.map((k) => k.kind)).size).toBe(nodeKinds.length);
    expect(cases.map((c) => c.name)).toEqual([
      'an empty table',
      'zero columns',
      'one row',
      'an all-null column',
      'NaN and Infinity',
      'a constant column',
      'a wrong type',
      'a missing column named in params',
    ]);
  });
});
