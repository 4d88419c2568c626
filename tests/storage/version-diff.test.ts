import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/storage/version-diff.ts';
import { newer, older } from './version-fixtures.ts';

describe('diffDocuments', () => {
  it('lists added, removed and changed nodes, edges and document fields', () => {
    expect(diffDocuments(older, newer)).toEqual({
      added: [{ id: 'lstm1', kind: 'lstm' }],
      removed: [{ id: 'seg1', kind: 'segment' }],
      changed: [{ id: 'norm1', kind: 'normalise', params: ['columns', 'method'], moved: true, note: true, label: false, kindChanged: false }],
      edgesAdded: ['norm1.table → lstm1.table'],
      edgesRemoved: ['norm1.table → seg1.table'],
      fields: ['seed'],
    });
  });

  it('finds nothing between a document and itself', () => {
    expect(diffDocuments(older, older)).toEqual({ added: [], removed: [], changed: [], edgesAdded: [], edgesRemoved: [], fields: [] });
  });
});
