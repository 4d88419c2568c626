import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { describeDiff, diffDocuments } from '../../src/storage/version-diff.ts';

const older: PipelineDocument = {
  format: 'insight-pipeline',
  version: 1,
  name: 'A',
  description: '',
  seed: 1,
  nodes: [
    { id: 'load1', kind: 'load', version: 1, params: { sample: 'x.csv' }, position: [0, 0], note: '' },
    { id: 'norm1', kind: 'normalise', version: 1, params: { method: 'min-max', columns: ['a'] }, position: [100, 0], note: '' },
    { id: 'seg1', kind: 'segment', version: 1, params: {}, position: [200, 0], note: '' },
  ],
  edges: [
    { from: ['load1', 'table'], to: ['norm1', 'table'] },
    { from: ['norm1', 'table'], to: ['seg1', 'table'] },
  ],
  notes: [],
};

const newer: PipelineDocument = {
  ...older,
  seed: 2,
  nodes: [
    { id: 'load1', kind: 'load', version: 1, params: { sample: 'x.csv' }, position: [0, 0], note: '' },
    { id: 'norm1', kind: 'normalise', version: 1, params: { method: 'z-score', columns: ['a', 'b'] }, position: [120, 0], note: 'why' },
    { id: 'lstm1', kind: 'lstm', version: 1, params: {}, position: [200, 0], note: '' },
  ],
  edges: [
    { from: ['load1', 'table'], to: ['norm1', 'table'] },
    { from: ['norm1', 'table'], to: ['lstm1', 'table'] },
  ],
};

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
    expect(describeDiff(diffDocuments(older, older))).toEqual([]);
  });

  it('describes each difference in one line', () => {
    expect(describeDiff(diffDocuments(older, newer))).toEqual([
      'Changed seed.',
      'Added lstm node lstm1.',
      'Removed segment node seg1.',
      'Changed normalise node norm1: params columns, method; note; position.',
      'Connected norm1.table → lstm1.table.',
      'Disconnected norm1.table → seg1.table.',
    ]);
  });
});
