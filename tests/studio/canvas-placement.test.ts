import { describe, expect, it } from 'vitest';
import { boundsOf, freeCorner, freeSpot, overlaps } from '../../src/studio/canvas/placement.ts';
import { matchScore, searchNodes } from '../../src/studio/canvas/node-search.ts';

const size = { width: 200, height: 100 };

describe('placing a new node', () => {
  it('goes right of the selection when that is free', () => {
    const sel = { x: 0, y: 0, width: 200, height: 100 };
    expect(freeSpot([sel], size, sel, [0, 0], 24)).toEqual([272, 0]);
  });
  it('never lands on another node, however crowded the spot beside the selection', () => {
    const sel = { x: 0, y: 0, width: 200, height: 100 };
    const taken = [sel, { x: 272, y: 0, width: 200, height: 100 }, { x: 272, y: 130, width: 200, height: 100 }];
    const [x, y] = freeSpot(taken, size, sel, [0, 0], 24);
    expect(taken.some((b) => overlaps({ x, y, ...size }, b, 24))).toBe(false);
    expect(Math.hypot(x - 272, y)).toBeLessThan(400);
  });
  it('uses the middle of the view without a selection', () => {
    expect(freeSpot([], size, null, [500, 300], 24)).toEqual([400, 250]);
  });
  it('bounds several boxes, and none', () => {
    expect(boundsOf([{ x: 0, y: 10, width: 5, height: 5 }, { x: 20, y: 0, width: 10, height: 5 }])).toEqual({ x: 0, y: 0, width: 30, height: 15 });
    expect(boundsOf([])).toBeNull();
  });
});

describe('the minimap corner', () => {
  const view = { width: 900, height: 500 };
  const mini = { width: 165, height: 111 };
  it('stays bottom right when no node is there, moves when one is, and hides when every corner is taken', () => {
    expect(freeCorner([{ x: 100, y: 100, width: 200, height: 100 }], view, mini, ['bottom-right', 'top-right', 'top-left'])).toBe('bottom-right');
    expect(freeCorner([{ x: 800, y: 450, width: 200, height: 100 }], view, mini, ['bottom-right', 'top-right', 'top-left'])).toBe('top-right');
    expect(freeCorner([{ x: 0, y: 0, width: 900, height: 500 }], view, mini, ['bottom-right', 'top-right', 'top-left'])).toBe('none');
  });
});

describe('node search', () => {
  const nodes = [{ id: 'segment', kind: 'segment', label: 'Segment' }, { id: 'weight', kind: 'weight', label: 'Weighted score' }];
  const kinds = [{ kind: 'segment', label: '客户分群', english: 'Segment', description: 'k-means' }, { kind: 'weight', label: 'Weighted score', english: 'Weighted score', description: 'Σ w x' }];
  it('ranks prefix over word start over inside matches', () => {
    expect([matchScore('Weighted score', 'wei'), matchScore('Weighted score', 'sco'), matchScore('Weighted score', 'ted'), matchScore('x', 'y')]).toEqual([3, 2, 1, 0]);
  });
  it('finds the node to jump to before the kind to add, and kinds by their English label in any language', () => {
    expect(searchNodes('seg', nodes, kinds).map((h) => `${h.type}:${h.key}`)).toEqual(['node:segment', 'kind:segment']);
    expect(searchNodes('score', nodes, kinds).map((h) => `${h.type}:${h.key}`)).toEqual(['node:weight', 'kind:weight']);
    expect(searchNodes('zzz', nodes, kinds)).toEqual([]);
    expect(searchNodes('weight', [{ id: 'weighting', kind: 'weight', label: 'W' }, ...nodes], kinds)[0]).toEqual({ type: 'node', key: 'weight', id: 'weight', label: 'Weighted score' });
  });
});
