/** Two versions of a small pipeline that differ in every way a diff names (fields, nodes, params, position, note, edges). */
import type { PipelineDocument } from '../../src/engine/document.ts';

export const older: PipelineDocument = {
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

export const newer: PipelineDocument = {
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
