/** Builders for test documents. */
import type { PipelineDocument } from '../../src/engine/document.ts';

/** A node entry for a test document. */
export function n(id: string, kind: string, params: Record<string, unknown> = {}, version = kind === 'add' ? 2 : 1): PipelineDocument['nodes'][number] {
  return { id, kind, version, params, position: [0, 0], note: '' };
}

/** An edge `from.port → to.port`. */
export function e(from: string, to: string): PipelineDocument['edges'][number] {
  const [a = '', b = ''] = from.split('.');
  const [c = '', d = ''] = to.split('.');
  return { from: [a, b], to: [c, d] };
}

/** A document from nodes and edges. */
export function doc(nodes: PipelineDocument['nodes'], edges: PipelineDocument['edges'] = [], seed = 42): PipelineDocument {
  return { format: 'insight-pipeline', version: 1, name: 'test', description: '', seed, nodes, edges, notes: [] };
}
