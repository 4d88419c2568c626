/**
 * Auto-layout of the canvas: a left-to-right layered drawing (dagre) of the pipeline graph.
 * Pure: takes node sizes and edges, returns top-left positions.
 */
import dagre from '@dagrejs/dagre';
import type { PipelineDocument } from '../engine/document.ts';

/** Size of a node box in canvas pixels. */
export interface NodeSize {
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

/** The size assumed for nodes the canvas has not measured yet. */
export const defaultNodeSize: NodeSize = { width: 200, height: 96 };

/** Lays the graph out left to right; returns each node's top-left corner, rounded to pixels. */
export function autoLayout(
  doc: Pick<PipelineDocument, 'nodes' | 'edges'>,
  sizes: ReadonlyMap<string, NodeSize> = new Map(),
  options: { rankGap?: number; nodeGap?: number } = {},
): Map<string, [number, number]> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', ranksep: options.rankGap ?? 70, nodesep: options.nodeGap ?? 36, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of doc.nodes) {
    const size = sizes.get(node.id) ?? defaultNodeSize;
    graph.setNode(node.id, { width: size.width, height: size.height });
    known.add(node.id);
  }
  doc.edges.forEach((edge, i) => {
    if (known.has(edge.from[0]) && known.has(edge.to[0])) graph.setEdge(edge.from[0], edge.to[0], {}, `e${i}`);
  });
  dagre.layout(graph);
  const out = new Map<string, [number, number]>();
  for (const node of doc.nodes) {
    const placed = graph.node(node.id);
    const size = sizes.get(node.id) ?? defaultNodeSize;
    // dagre gives centres; the canvas positions nodes by their top-left corner.
    out.set(node.id, [Math.round((placed.x ?? 0) - size.width / 2), Math.round((placed.y ?? 0) - size.height / 2)]);
  }
  return out;
}
